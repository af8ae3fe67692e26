-- Finer scheduling rules for hosts (issue 3). Defaults keep existing policies behaving exactly as before.

-- Optional caps per local day and per local week; NULL means no cap of that kind.
ALTER TABLE host_policies ADD COLUMN daily_cap INTEGER CHECK (daily_cap IS NULL OR daily_cap BETWEEN 1 AND 20);
ALTER TABLE host_policies ADD COLUMN weekly_cap INTEGER CHECK (weekly_cap IS NULL OR weekly_cap BETWEEN 1 AND 100);
-- The weekday a week starts on, for the weekly cap (hosts differ: Monday in most of Europe, Sunday in the US).
ALTER TABLE host_policies ADD COLUMN week_start TEXT NOT NULL DEFAULT 'mon'
    CHECK (week_start IN ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'));
-- Minutes between possible slot starts; NULL means "the meeting length".
ALTER TABLE host_policies ADD COLUMN slot_increment_minutes INTEGER
    CHECK (slot_increment_minutes IS NULL OR slot_increment_minutes IN (5, 10, 15, 30));
-- How long a pending request keeps its proposed slots from being offered to others.
ALTER TABLE host_policies ADD COLUMN hold_hours INTEGER NOT NULL DEFAULT 24 CHECK (hold_hours BETWEEN 0 AND 168);
-- Whether pending requests count towards the caps (1) or only accepted interviews do (0).
ALTER TABLE host_policies ADD COLUMN count_pending INTEGER NOT NULL DEFAULT 0 CHECK (count_pending IN (0, 1));
-- Minimum notice for moving an interview to another time.
ALTER TABLE host_policies ADD COLUMN reschedule_notice_hours INTEGER NOT NULL DEFAULT 24
    CHECK (reschedule_notice_hours BETWEEN 0 AND 720);
