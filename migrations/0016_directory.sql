-- The directory managed in the dashboard and pulled from an HSDS API
-- (issue 16; docs/design.md "The directory").
--
-- resources gains the HSDS facts that matter to a youth: weekly opening
-- hours, ages served and eligibility; origin says where a record came
-- from ('' staff, the bundled file or `resources import`; 'hsds-api' the
-- scheduled pull), so that a record removed upstream can be hidden.
ALTER TABLE resources
    ADD COLUMN schedule    jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(schedule) = 'array'),
    ADD COLUMN ages_min    integer NOT NULL DEFAULT 0 CHECK (ages_min BETWEEN 0 AND 120),
    ADD COLUMN ages_max    integer NOT NULL DEFAULT 0 CHECK (ages_max BETWEEN 0 AND 120),
    ADD COLUMN eligibility text NOT NULL DEFAULT '',
    ADD COLUMN origin      text NOT NULL DEFAULT '' CHECK (origin IN ('', 'hsds-api'));

-- A batch is one import from the dashboard (previewed, then staged) or
-- one run of the HSDS sync (its status and counts for the dashboard).
CREATE TABLE resource_batches (
    id               bigserial PRIMARY KEY,
    kind             text NOT NULL CHECK (kind IN ('import', 'sync')),
    state            text NOT NULL CHECK (state IN ('preview', 'staged', 'discarded', 'running', 'done', 'failed')),
    label            text NOT NULL DEFAULT '',      -- the file name, or the API's base URL
    records          jsonb,                         -- an import's parsed records until staged
    counts           jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(counts) = 'object'),
    error            text NOT NULL DEFAULT '',
    created_by_staff bigint REFERENCES staff (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz
);
CREATE INDEX resource_batches_kind_idx ON resource_batches (kind, id DESC);

-- A proposed record, whole, waiting for a second person (docs/design.md
-- rule 13): a staff member's new or edited record, or one the sync or an
-- import brought. Users see resources only; a proposal reaches resources
-- when a staff member other than its proposer verifies it, and the row
-- goes (the audit trail keeps who did what). One proposal per record: a
-- newer one replaces it.
CREATE TABLE resource_changes (
    resource_id       text PRIMARY KEY CHECK (resource_id ~ '^[a-z0-9][a-z0-9._-]{0,99}$'),
    kind              text NOT NULL CHECK (kind IN ('create', 'edit')),
    record            jsonb NOT NULL CHECK (jsonb_typeof(record) = 'object'),
    origin            text NOT NULL DEFAULT '' CHECK (origin IN ('', 'hsds-api', 'import')),
    batch_id          bigint REFERENCES resource_batches (id) ON DELETE SET NULL,
    proposed_by_staff bigint REFERENCES staff (id) ON DELETE SET NULL, -- NULL: the sync
    proposed_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resource_changes_batch_idx ON resource_changes (batch_id, resource_id);
