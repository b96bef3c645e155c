-- twin of migrations/sqlite/0019_lead_ids.sql
-- SQLite needs a high-water mark so that a deleted lead's id is never given to a
-- new lead; PostgreSQL's identity never hands out an id twice, so nothing changes.
SELECT 1;
