-- The request messages the bot set with a contract's signees (Comake never
-- reads them back), re-sent when one party's signee is replaced.
CREATE TABLE signee_messages (
    contract TEXT PRIMARY KEY,
    record BYTEA NOT NULL
);
