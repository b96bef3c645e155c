-- Leadsy schema, SQLite dialect (twin of migrations/postgres/0001_init.sql).
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    password_hash TEXT,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    avatar_key TEXT,
    profile_completed_at BIGINT,
    onboarding_completed_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT uq_users_email UNIQUE (email)
);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    price_cents BIGINT NOT NULL,
    billing_interval TEXT NOT NULL,
    seat_limit BIGINT NOT NULL,
    lead_limit BIGINT NOT NULL,
    position BIGINT NOT NULL,
    CONSTRAINT uq_memberships_key UNIQUE (key)
);

CREATE TABLE companies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    avatar_key TEXT,
    cycles_enabled BIGINT NOT NULL DEFAULT 0,
    membership_id BIGINT REFERENCES memberships(id),
    membership_started_at BIGINT,
    membership_period_ends_at BIGINT,
    membership_cancelled_at BIGINT,
    customer_salt TEXT,
    email_domain TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT uq_companies_name_key UNIQUE (name_key),
    CONSTRAINT uq_companies_customer_salt UNIQUE (customer_salt),
    CONSTRAINT uq_companies_email_domain UNIQUE (email_domain)
);

CREATE TABLE accesses (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    permissions TEXT NOT NULL,
    CONSTRAINT uq_accesses_key UNIQUE (key)
);

CREATE TABLE user_accesses (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    access_id BIGINT NOT NULL REFERENCES accesses(id),
    created_at BIGINT NOT NULL,
    CONSTRAINT uq_user_accesses_user_id UNIQUE (user_id, company_id)
);
CREATE INDEX ix_user_accesses_company ON user_accesses (company_id, user_id);

CREATE TABLE stages (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    CONSTRAINT uq_stages_key UNIQUE (key)
);

CREATE TABLE legal_terms (
    id INTEGER PRIMARY KEY,
    version TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    CONSTRAINT uq_legal_terms_version UNIQUE (version)
);

CREATE TABLE term_signatures (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    legal_term_id BIGINT NOT NULL REFERENCES legal_terms(id),
    signed_at BIGINT NOT NULL,
    CONSTRAINT uq_term_signatures_user_id UNIQUE (user_id, legal_term_id)
);

CREATE TABLE user_providers (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT uq_user_providers_user_id UNIQUE (user_id, provider)
);

CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL,
    CONSTRAINT uq_password_resets_token_hash UNIQUE (token_hash)
);

CREATE TABLE platform_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    last_used_at BIGINT,
    CONSTRAINT uq_platform_tokens_token_hash UNIQUE (token_hash)
);

CREATE TABLE customer_api_keys (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL,
    CONSTRAINT uq_customer_api_keys_key_hash UNIQUE (key_hash)
);

CREATE TABLE registrations (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);

CREATE TABLE workspaces (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    credit_minutes BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expiry_date BIGINT NOT NULL
);
CREATE INDEX ix_sessions_expiry ON sessions (expiry_date);

INSERT INTO stages (key, name, position, kind) VALUES
    ('new', 'New', 1, 'open'),
    ('contacted', 'Contacted', 2, 'open'),
    ('qualified', 'Qualified', 3, 'open'),
    ('appointment_set', 'Appointment set', 4, 'open'),
    ('proposal', 'Proposal', 5, 'open'),
    ('won', 'Won', 6, 'won'),
    ('lost', 'Lost', 7, 'lost');

INSERT INTO accesses (key, name, permissions) VALUES
    ('admin', 'Admin', '["company.manage","team.manage","invitations.manage","membership.manage","sales_setup.manage","leads.read_all","leads.write_all"]'),
    ('manager', 'Manager', '["sales_setup.manage","leads.read_all","leads.write_all","imports.create"]'),
    ('sales_rep', 'Sales rep', '["leads.read_assigned","leads.write_assigned"]');

INSERT INTO memberships (key, name, price_cents, billing_interval, seat_limit, lead_limit, position) VALUES
    ('free', 'Free', 0, 'month', 3, 1000, 1),
    ('starter', 'Starter', 2900, 'month', 10, 25000, 2),
    ('growth', 'Growth', 9900, 'month', 50, 1000000, 3);

INSERT INTO legal_terms (version, title, body, published_at) VALUES
    ('2026-03', 'Leadsy Terms of Service',
     'These terms govern your use of Leadsy.

1. Your account. You are responsible for the activity of your account and for keeping your password secret.

2. Your data. The leads, notes and files you put into Leadsy remain yours. We process them only to provide the service to you and your team, and we never sell them.

3. Acceptable use. Do not use Leadsy to send unsolicited messages, to store data you have no right to process, or to disrupt the service for others.

4. Plans and payment. Paid plans renew each period until cancelled; a cancelled plan stays active until the end of its period.

5. Changes. When we publish a new version of these terms, we ask you to read and sign it before you go on using Leadsy.',
     1774200000);
