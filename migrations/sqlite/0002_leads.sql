-- Leadsy schema, SQLite dialect (twin of migrations/postgres/0002_leads.sql).
-- Leads and how they are worked and routed.

CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    priority BIGINT NOT NULL,
    -- How many leads round robin has handed out here; the next rep is this modulo the reps.
    rr_cursor BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    CONSTRAINT uq_sources_name_key UNIQUE (company_id, name_key)
);
CREATE INDEX ix_sources_company ON sources (company_id, priority);

CREATE TABLE source_user_accesses (
    source_id BIGINT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    user_access_id BIGINT NOT NULL REFERENCES user_accesses(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (source_id, user_access_id)
);
CREATE INDEX ix_source_user_accesses_ua ON source_user_accesses (user_access_id);

CREATE TABLE territories (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    rr_cursor BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_territories_company ON territories (company_id);

CREATE TABLE territory_postal_codes (
    territory_id BIGINT NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    postal_code TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (territory_id, postal_code)
);
CREATE INDEX ix_territory_postal_codes_lookup ON territory_postal_codes (company_id, postal_code, territory_id);

CREATE TABLE territory_user_accesses (
    territory_id BIGINT NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    user_access_id BIGINT NOT NULL REFERENCES user_accesses(id) ON DELETE CASCADE,
    PRIMARY KEY (territory_id, user_access_id)
);
CREATE INDEX ix_territory_user_accesses_ua ON territory_user_accesses (user_access_id);

CREATE TABLE cycles (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_cycles_company ON cycles (company_id, starts_on);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    source_id BIGINT REFERENCES sources(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    starts_on TEXT,
    ends_on TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT uq_campaigns_name_key UNIQUE (company_id, name_key)
);

CREATE TABLE leads (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    company_name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    postal_code TEXT,
    -- Normalized email (lower case) and phone (digits) for duplicates and search.
    email_key TEXT,
    phone_key TEXT,
    search_text TEXT NOT NULL,
    stage_id BIGINT NOT NULL REFERENCES stages(id),
    source_id BIGINT REFERENCES sources(id) ON DELETE SET NULL,
    campaign_id BIGINT REFERENCES campaigns(id) ON DELETE SET NULL,
    cycle_id BIGINT REFERENCES cycles(id) ON DELETE SET NULL,
    assigned_user_access_id BIGINT REFERENCES user_accesses(id) ON DELETE SET NULL,
    value_cents BIGINT NOT NULL DEFAULT 0,
    answers TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- The board's columns (newest first per stage: created_at, id) and their count and value, for
-- everyone and for one rep.
CREATE INDEX ix_leads_stage ON leads (company_id, stage_id, created_at, id, value_cents);
CREATE INDEX ix_leads_assignee ON leads (company_id, assigned_user_access_id, stage_id, created_at, id, value_cents);
CREATE INDEX ix_leads_source ON leads (company_id, source_id, created_at);
CREATE INDEX ix_leads_campaign ON leads (company_id, campaign_id, created_at);
CREATE INDEX ix_leads_cycle ON leads (company_id, cycle_id, created_at);
CREATE INDEX ix_leads_created ON leads (company_id, created_at, id);
CREATE INDEX ix_leads_email_key ON leads (company_id, email_key);
CREATE INDEX ix_leads_phone_key ON leads (company_id, phone_key);

CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    lead_id BIGINT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    author_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_notes_lead ON notes (lead_id, id);

CREATE TABLE appointments (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    lead_id BIGINT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    location TEXT NOT NULL,
    notes TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_appointments_user ON appointments (user_id, starts_at);
CREATE INDEX ix_appointments_lead ON appointments (lead_id, starts_at);
