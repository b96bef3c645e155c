-- Leadsy schema, SQLite dialect (twin of migrations/postgres/0005_questions.sql).
-- Questions a company asks about its leads, in one priority order; a question may
-- belong to a campaign. Choice questions keep their options as a JSON array.
CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    campaign_id BIGINT REFERENCES campaigns(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    options TEXT NOT NULL,
    priority BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ix_questions_company ON questions (company_id, priority);
CREATE INDEX ix_questions_campaign ON questions (campaign_id, priority);
