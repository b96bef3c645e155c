-- Leadsy schema, SQLite dialect (twin of migrations/postgres/0004_invitations.sql).
-- Invitations: how every user after a company's first arrives. The code is random
-- (256 bits), single-use, expires, and only the invited email can accept it.
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    access_id BIGINT NOT NULL REFERENCES accesses(id),
    code TEXT NOT NULL,
    status TEXT NOT NULL,
    invited_by_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    accepted_by_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    expires_at BIGINT NOT NULL,
    accepted_at BIGINT,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL,
    CONSTRAINT uq_invitations_code UNIQUE (code)
);
CREATE INDEX ix_invitations_company ON invitations (company_id, status);
CREATE INDEX ix_invitations_email ON invitations (email, status);
