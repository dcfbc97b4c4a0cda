-- Tipline core schema: staff, contacts, conversations, messages (inbound and
-- outbound), cases, tips, media, notes, pages and the append-only audit log.

CREATE TABLE staff (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'reviewer')),
    disabled      boolean NOT NULL DEFAULT false,
    totp_secret   bytea,
    recovery_codes jsonb NOT NULL DEFAULT '[]',
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz
);
CREATE UNIQUE INDEX staff_email_key ON staff (lower(email));

CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY,
    staff_id     bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    client_addr  text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_staff_idx ON sessions (staff_id);

CREATE TABLE api_tokens (
    id          bigserial PRIMARY KEY,
    staff_id    bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL UNIQUE,
    label       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at  timestamptz
);

-- A person who wrote to Tipline, known only by a keyed hash of their
-- identifier; the sealed copy is what the delivery workers decrypt to reply.
CREATE TABLE contacts (
    id           bigserial PRIMARY KEY,
    channel      text NOT NULL CHECK (channel IN ('telegram', 'sms', 'sim')),
    id_hash      bytea NOT NULL,
    id_sealed    bytea,
    alias        text NOT NULL,
    opted_out    boolean NOT NULL DEFAULT false,
    opted_out_at timestamptz,
    blocked      boolean NOT NULL DEFAULT false,
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (channel, id_hash)
);
CREATE INDEX contacts_last_seen_idx ON contacts (last_seen_at) WHERE id_sealed IS NOT NULL;

CREATE TABLE conversations (
    id              bigserial PRIMARY KEY,
    public_id       text NOT NULL UNIQUE,
    channel         text NOT NULL CHECK (channel IN ('telegram', 'sms', 'sim')),
    contact_id      bigint REFERENCES contacts (id) ON DELETE SET NULL,
    kind            text NOT NULL DEFAULT 'unknown' CHECK (kind IN ('unknown', 'youth', 'tipster')),
    state           jsonb NOT NULL DEFAULT '{}',
    lang            text NOT NULL DEFAULT '',
    source          text NOT NULL DEFAULT '',
    simulated       boolean NOT NULL DEFAULT false,
    high_risk       boolean NOT NULL DEFAULT false,
    risk_category   text NOT NULL DEFAULT '',
    flagged_at      timestamptz,
    claimed_by      bigint REFERENCES staff (id) ON DELETE SET NULL,
    claimed_at      timestamptz,
    last_seq        bigint NOT NULL DEFAULT 0,
    last_inbound_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX conversations_contact_key ON conversations (contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX conversations_high_risk_idx ON conversations (flagged_at DESC) WHERE high_risk;
CREATE INDEX conversations_last_inbound_idx ON conversations (last_inbound_at);

-- Inbound and outbound messages. An inbound row is unique on
-- (channel, provider_id): a retried webhook inserts nothing. Outbound rows
-- are the delivery queue; provider_id stays NULL for them.
CREATE TABLE messages (
    id               bigserial PRIMARY KEY,
    conversation_id  bigint REFERENCES conversations (id) ON DELETE CASCADE,
    direction        text NOT NULL CHECK (direction IN ('in', 'out')),
    channel          text NOT NULL CHECK (channel IN ('telegram', 'sms', 'sim')),
    provider_id      text,
    kind             text NOT NULL DEFAULT 'bot' CHECK (kind IN ('user', 'bot', 'staff', 'page')),
    body             text NOT NULL DEFAULT '',
    reply            jsonb,
    media_count      int NOT NULL DEFAULT 0,
    chat_message_ref text NOT NULL DEFAULT '',
    target           text NOT NULL DEFAULT '',
    status           text NOT NULL DEFAULT 'received',
    attempts         int NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    claimed_until    timestamptz,
    attempted_at     timestamptz,
    expires_at       timestamptz,
    sent_at          timestamptz,
    provider_message_id text,
    error_code       text NOT NULL DEFAULT '',
    error_detail     text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (channel, provider_id),
    CHECK (direction = 'out' OR provider_id IS NOT NULL),
    CHECK (kind = 'page' OR conversation_id IS NOT NULL)
);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, id);
CREATE INDEX messages_outbox_idx ON messages (next_attempt_at, id)
    WHERE direction = 'out' AND status IN ('queued', 'claimed', 'sending');
CREATE INDEX messages_provider_message_idx ON messages (provider_message_id)
    WHERE provider_message_id IS NOT NULL;

CREATE TABLE cases (
    id              bigserial PRIMARY KEY,
    public_id       text NOT NULL UNIQUE,
    case_number     text NOT NULL UNIQUE,
    display_name    text NOT NULL,
    age             int,
    sex             text NOT NULL DEFAULT '',
    description     text NOT NULL DEFAULT '',
    photo           bytea,
    photo_type      text NOT NULL DEFAULT '',
    last_seen_place text NOT NULL DEFAULT '',
    last_seen_at    timestamptz,
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'found', 'closed')),
    public          boolean NOT NULL DEFAULT false,
    legal_hold      boolean NOT NULL DEFAULT false,
    closed_at       timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tips (
    id              bigserial PRIMARY KEY,
    code            text NOT NULL UNIQUE,
    conversation_id bigint REFERENCES conversations (id) ON DELETE SET NULL,
    contact_id      bigint REFERENCES contacts (id) ON DELETE SET NULL,
    reporter_alias  text NOT NULL DEFAULT '',
    case_id         bigint REFERENCES cases (id) ON DELETE SET NULL,
    case_text       text NOT NULL DEFAULT '',
    channel         text NOT NULL CHECK (channel IN ('telegram', 'sms', 'sim')),
    status          text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'triaged', 'verified', 'referred', 'closed', 'duplicate')),
    urgent          boolean NOT NULL DEFAULT false,
    incomplete      boolean NOT NULL DEFAULT true,
    simulated       boolean NOT NULL DEFAULT false,
    may_contact     boolean NOT NULL DEFAULT true,
    seen_at         timestamptz,
    seen_text       text NOT NULL DEFAULT '',
    place_text      text NOT NULL DEFAULT '',
    lat             double precision,
    lon             double precision,
    description     text NOT NULL DEFAULT '',
    contact_sealed  bytea,
    assigned_to     bigint REFERENCES staff (id) ON DELETE SET NULL,
    duplicate_of    bigint REFERENCES tips (id) ON DELETE SET NULL,
    legal_hold      boolean NOT NULL DEFAULT false,
    keep            boolean NOT NULL DEFAULT false,
    submitted_at    timestamptz,
    triaged_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tips_queue_idx ON tips (urgent DESC, created_at DESC, id DESC);
CREATE INDEX tips_status_idx ON tips (status, created_at DESC);
CREATE INDEX tips_case_idx ON tips (case_id);
CREATE INDEX tips_contact_idx ON tips (contact_id);
CREATE INDEX tips_search_idx ON tips USING gin (to_tsvector('simple', description || ' ' || place_text || ' ' || case_text));

CREATE TABLE tip_media (
    id           bigserial PRIMARY KEY,
    tip_id       bigint NOT NULL REFERENCES tips (id) ON DELETE CASCADE,
    sha256       text NOT NULL,
    content_type text NOT NULL,
    data         bytea NOT NULL,
    width        int NOT NULL DEFAULT 0,
    height       int NOT NULL DEFAULT 0,
    csam         boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tip_media_tip_idx ON tip_media (tip_id);

CREATE TABLE tip_notes (
    id         bigserial PRIMARY KEY,
    tip_id     bigint NOT NULL REFERENCES tips (id) ON DELETE CASCADE,
    staff_id   bigint REFERENCES staff (id) ON DELETE SET NULL,
    body       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Staff pages: one row per page, acknowledged on the dashboard.
CREATE TABLE pages (
    id              bigserial PRIMARY KEY,
    reason          text NOT NULL,
    conversation_id bigint REFERENCES conversations (id) ON DELETE SET NULL,
    tip_id          bigint REFERENCES tips (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    acked_by        bigint REFERENCES staff (id) ON DELETE SET NULL,
    acked_at        timestamptz,
    resent_at       timestamptz
);

-- Append-only record of what staff saw and did; never updated or deleted.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    staff_id    bigint REFERENCES staff (id),
    staff_email text NOT NULL DEFAULT '',
    action      text NOT NULL,
    object_type text NOT NULL DEFAULT '',
    object_id   text NOT NULL DEFAULT '',
    detail      jsonb NOT NULL DEFAULT '{}',
    client_addr text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, at);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Small shared key/value state (Telegram poll offset, job timestamps).
CREATE TABLE kv (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
