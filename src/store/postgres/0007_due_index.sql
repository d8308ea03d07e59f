-- The watcher loads only the people due, by an index, not everyone every
-- 30 s: each notification state carries its next read (NULL: not read,
-- notifications off or DMs closed) and whether a digest is wanted, written
-- with the record. Existing rows are filled from their (version 1, JSON)
-- records; "at once" is kept as 1970.
ALTER TABLE notify_state ADD COLUMN wake_at TIMESTAMPTZ;
ALTER TABLE notify_state ADD COLUMN digest BOOLEAN NOT NULL DEFAULT false;
UPDATE notify_state SET
    wake_at = CASE
        WHEN COALESCE((j ->> 'enabled')::boolean, true)
             AND NOT COALESCE((j ->> 'unreachable')::boolean, false)
        THEN COALESCE((j ->> 'next_read')::timestamptz, 'epoch'::timestamptz)
    END,
    digest = COALESCE(j ->> 'digest', 'off') <> 'off'
             AND NOT COALESCE((j ->> 'unreachable')::boolean, false)
FROM (
    SELECT discord_id AS id, convert_from(substring(record FROM 2), 'UTF8')::jsonb AS j
    FROM notify_state
    WHERE CASE WHEN length(record) > 1 THEN get_byte(record, 0) = 1 ELSE false END
) AS parsed
WHERE notify_state.discord_id = parsed.id;
CREATE INDEX notify_state_by_wake ON notify_state (wake_at) WHERE wake_at IS NOT NULL;
CREATE INDEX notify_state_digests ON notify_state (discord_id) WHERE digest;
