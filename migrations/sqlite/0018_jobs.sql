-- twin of migrations/postgres/0018_jobs.sql
-- Background work a member starts on many leads (a bulk change, a large export),
-- on the import worker's model: a worker claims a job in one statement, reports by
-- heartbeat, and commits each batch with the job's new position, so a job broken
-- off by a crash resumes where it stopped and changes each lead once.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    -- 'leads.bulk' or 'leads.export'.
    kind TEXT NOT NULL,
    -- queued, processing, completed or failed.
    status TEXT NOT NULL,
    -- JSON: what the job does, as its kind reads it.
    spec TEXT NOT NULL,
    -- The member who started it and the customer key they used, if any (no
    -- foreign keys: the job outlives their leaving, and then fails rather than
    -- act for someone gone), and who its events name (JSON).
    user_access_id BIGINT NOT NULL,
    key_id BIGINT,
    actor TEXT NOT NULL,
    total BIGINT,
    processed BIGINT NOT NULL DEFAULT 0,
    changed BIGINT NOT NULL DEFAULT 0,
    -- The last lead done, by creation time and id: the next batch starts after it.
    resume_at BIGINT NOT NULL DEFAULT 0,
    resume_after BIGINT NOT NULL DEFAULT 0,
    file_key TEXT,
    file_deleted_at BIGINT,
    failure TEXT,
    claimed_by TEXT,
    heartbeat_at BIGINT,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT
);
CREATE INDEX ix_jobs_company ON jobs (company_id, id);
CREATE INDEX ix_jobs_status ON jobs (status, id);
CREATE INDEX ix_jobs_starter ON jobs (company_id, user_access_id, status);
