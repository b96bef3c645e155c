-- Full-text search over leads (twin of migrations/sqlite/0014_search.sql). The lead
-- writer stores each lead's words, already folded (leads::search): `search_text`
-- for who the lead is (weight A), `search_contact` for how to reach them (B). The
-- generated vector follows every write; a GIN index answers prefix queries.
ALTER TABLE leads ADD COLUMN search_contact TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', search_text), 'A')
    || setweight(to_tsvector('simple', search_contact), 'B')
) STORED;
CREATE INDEX ix_leads_search ON leads USING GIN (search_vector);

-- Leads written before this migration hold the old words; the server rewrites
-- them in the background after start (leads::search::reindex), from this id on.
CREATE TABLE lead_search_backfill (after_id BIGINT NOT NULL);
INSERT INTO lead_search_backfill (after_id) SELECT 0 WHERE EXISTS (SELECT 1 FROM leads);
