-- Team boards: one public message per person per channel that the watcher
-- edits as that person's contract box changes.
CREATE TABLE boards (
    owner BIGINT NOT NULL,
    channel BIGINT NOT NULL,
    record BYTEA NOT NULL,
    PRIMARY KEY (owner, channel)
);
