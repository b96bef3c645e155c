-- Leadsy schema, SQLite dialect (twin of migrations/postgres/0008_trust.sql).
-- Verified identities and revocable credentials.
--
-- An address is verified by a mailed single-use link; until then its owner is
-- offered no invitation and cannot be found by email. Existing accounts start
-- unverified: nothing proved they own their address.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
-- Every session and JWT carries the version it was issued under; a password reset
-- or change bumps it, which ends them all at once.
ALTER TABLE users ADD COLUMN credentials_version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE email_verifications (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- The address the link proves: a link sent before an email change verifies nothing.
    email TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL,
    CONSTRAINT uq_email_verifications_token_hash UNIQUE (token_hash)
);
CREATE INDEX ix_email_verifications_user ON email_verifications (user_id);
CREATE INDEX ix_password_resets_user ON password_resets (user_id);

-- Invitation codes and session ids become digests (SHA-256, hex). The codes already
-- mailed are marked here and digested by the server at start-up (db::digest_legacy),
-- since SQLite has no hash function: links in use keep working. Sessions kept their
-- id inside their data too, so they end here: everyone signs in once more.
UPDATE invitations SET code = 'legacy:' || code;
DELETE FROM sessions;
