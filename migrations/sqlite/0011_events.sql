-- twin of migrations/postgres/0011_events.sql
-- Every change, recorded once in the transaction that makes it. Rows are only ever
-- inserted: history, the audit log and webhooks read them.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    -- The lead the event is about (its history), also for notes and appointments.
    lead_id BIGINT,
    -- The changed object's own id (the note, the source, the member ...).
    subject_id BIGINT,
    -- user, api_key, platform, import or operator; the user acting, and the key,
    -- token or import they acted through.
    actor_kind TEXT NOT NULL,
    actor_user_id BIGINT,
    actor_ref_id BIGINT,
    door TEXT NOT NULL,
    -- JSON: the object as the API showed it once changed, and for an update each
    -- changed field's before and after ({} for none).
    data TEXT NOT NULL,
    changes TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_events_company ON events (company_id, id);
CREATE INDEX ix_events_lead ON events (lead_id, id) WHERE lead_id IS NOT NULL;
CREATE INDEX ix_events_actor ON events (company_id, actor_user_id, id);

-- Bumped by every write of a lead: its ETag, and what If-Match compares.
ALTER TABLE leads ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
