-- The resource directory (DESIGN.md section 4 and rule 13). Every fact keeps
-- its source and when it was checked. A field named in hidden_fields is kept
-- but never shown to users; a row that is not verified, or is hidden, is not
-- shown at all. A change to a resource's contact details waits in
-- pending_contacts until a second staff member verifies it; only then is it
-- copied into the shown columns.

CREATE TABLE resources (
    id               text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9._-]{0,99}$'),
    position         integer NOT NULL DEFAULT 0,           -- order in the directory
    name             text NOT NULL CHECK (name <> ''),
    organization     text NOT NULL DEFAULT '',
    description      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(description) = 'object'), -- by language
    categories       jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(categories) = 'array'),
    phone            text NOT NULL DEFAULT '',             -- display form; vanity numbers with digits
    phone_e164       text NOT NULL DEFAULT '' CHECK (phone_e164 = '' OR phone_e164 ~ '^\+[1-9][0-9]{6,14}$'),
    sms_number       text NOT NULL DEFAULT '',
    sms_keyword      text NOT NULL DEFAULT '',
    tty              text NOT NULL DEFAULT '',
    whatsapp         text NOT NULL DEFAULT '',
    chat_url         text NOT NULL DEFAULT '',
    url              text NOT NULL DEFAULT '',
    hours            text NOT NULL DEFAULT '',
    languages        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(languages) = 'array'),
    regions          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(regions) = 'array'),
    area             text NOT NULL DEFAULT '',
    local            boolean NOT NULL DEFAULT false,
    address          text NOT NULL DEFAULT '',
    lat              double precision CHECK (lat BETWEEN -90 AND 90),
    lon              double precision CHECK (lon BETWEEN -180 AND 180),
    verified         boolean NOT NULL DEFAULT false,
    hidden           boolean NOT NULL DEFAULT false,       -- taken off for users by staff
    hidden_fields    jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(hidden_fields) = 'array'),
    source           text NOT NULL DEFAULT '',
    more_sources     jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(more_sources) = 'array'),
    notes            text NOT NULL DEFAULT '',             -- staff only
    checked_on       date,                                 -- when the source was last checked
    verified_by      text NOT NULL DEFAULT '',             -- who verified the shown facts (staff email)
    verified_at      timestamptz,
    verified_by_staff bigint REFERENCES staff (id) ON DELETE SET NULL,
    -- A proposed change of contact fields, e.g. {"phone": "...", "phone_e164": "..."}:
    -- never shown until a staff member other than pending_by_staff verifies it.
    pending_contacts jsonb CHECK (pending_contacts IS NULL OR jsonb_typeof(pending_contacts) = 'object'),
    pending_by_staff bigint REFERENCES staff (id) ON DELETE SET NULL,
    pending_at       timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((lat IS NULL) = (lon IS NULL))
);

CREATE INDEX resources_position_idx ON resources (position, id);
-- Staff screens list the changes waiting for a second pair of eyes.
CREATE INDEX resources_pending_idx ON resources (pending_at) WHERE pending_contacts IS NOT NULL;
