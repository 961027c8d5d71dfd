-- Stage changes by time, across cases: what a period's report reads.
CREATE INDEX stage_changes_at ON stage_changes (at, case_id, seq);
