-- Live status cards: public messages the watcher edits as a contract moves.
CREATE TABLE cards (
    contract TEXT PRIMARY KEY,
    owner BIGINT NOT NULL,
    record BYTEA NOT NULL
);
CREATE INDEX cards_by_owner ON cards (owner);
