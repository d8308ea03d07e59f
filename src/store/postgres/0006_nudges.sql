-- Nudges (재촉): the last one of each colleague about each contract, so every
-- instance allows one a day; and the automatic reminders asked for.
CREATE TABLE nudges (
    contract TEXT NOT NULL,
    colleague BIGINT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (contract, colleague)
);
CREATE TABLE reminders (
    contract TEXT PRIMARY KEY,
    record BYTEA NOT NULL
);
