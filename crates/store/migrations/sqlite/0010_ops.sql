-- Operability (issue 6): which worker holds a claimed outbox message.

-- A worker that is asked to stop (SIGTERM on a deploy) gives back the messages it still holds at once, instead
-- of leaving them to wait for their lease to run out: it finds them by this id, unique per worker process.
-- NULL when nobody holds the message (or an older binary claimed it, which only the lease releases).
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
