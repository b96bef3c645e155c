-- twin of migrations/postgres/0016_saved_views.sql
-- Saved views: a member's named set of lead filters, kept for themselves or shared
-- with the company. A member who leaves takes their views with them.
CREATE TABLE saved_views (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    user_access_id BIGINT NOT NULL REFERENCES user_accesses(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- The name folded for uniqueness: one member cannot have two views of one name.
    name_key TEXT NOT NULL,
    -- The filter as JSON, in the API's shape.
    filter TEXT NOT NULL,
    shared BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX uq_saved_views_name_key ON saved_views (user_access_id, name_key);
CREATE INDEX ix_saved_views_company ON saved_views (company_id, shared);
