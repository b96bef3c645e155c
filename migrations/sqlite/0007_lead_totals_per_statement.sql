-- Leadsy schema, SQLite dialect (twin of migrations/postgres/0007_lead_totals_per_statement.sql).
-- PostgreSQL moves the insert side of `lead_totals` to a statement trigger. SQLite
-- has only row triggers, which update its totals in place cheaply, so it keeps them.
SELECT 1;
