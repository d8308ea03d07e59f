-- The first schema. Discord ids are stored as BIGINT (snowflakes are below 2^63).
CREATE TABLE accounts (
    discord_id BIGINT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    record BYTEA NOT NULL
);
CREATE TABLE audit (
    seq BIGSERIAL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    discord_user BIGINT NOT NULL,
    record BYTEA NOT NULL
);
CREATE INDEX audit_by_time ON audit (at, seq);
CREATE INDEX audit_by_user ON audit (discord_user, at, seq);
CREATE TABLE notify_state (
    discord_id BIGINT PRIMARY KEY,
    record BYTEA NOT NULL
);
-- Pending confirmations: `sealed` is AES-256-GCM under STATE_KEY (it may hold a signee password).
CREATE TABLE pending (
    nonce TEXT PRIMARY KEY,
    discord_user BIGINT NOT NULL,
    sealed BYTEA NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE replays (
    interaction_id BIGINT PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);
-- Fixed-window counters: commands per person, registration codes per person and per email.
CREATE TABLE windows (
    key TEXT PRIMARY KEY,
    window_start TIMESTAMPTZ NOT NULL,
    count INTEGER NOT NULL
);
