-- Leadsy schema, PostgreSQL dialect (twin of migrations/sqlite/0007_lead_totals_per_statement.sql).
-- A bulk insert (an import's batch, COPY) adds to `lead_totals` once per statement
-- and group instead of once per row: a row trigger updating the same totals row for
-- every lead of a batch made bulk inserts several times slower.
DROP TRIGGER tr_leads_totals ON leads;

CREATE TRIGGER tr_leads_totals_change
AFTER UPDATE OF stage_id, assigned_user_access_id, value_cents OR DELETE ON leads
FOR EACH ROW EXECUTE FUNCTION leads_totals();

CREATE FUNCTION leads_totals_inserted() RETURNS trigger AS $$
BEGIN
    INSERT INTO lead_totals (company_id, stage_id, assignee, lead_count, value_cents)
    SELECT company_id, stage_id, COALESCE(assigned_user_access_id, 0), COUNT(*), CAST(SUM(value_cents) AS BIGINT)
    FROM new_rows GROUP BY 1, 2, 3
    ON CONFLICT (company_id, stage_id, assignee)
    DO UPDATE SET lead_count = lead_totals.lead_count + EXCLUDED.lead_count,
                  value_cents = lead_totals.value_cents + EXCLUDED.value_cents;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tr_leads_totals_insert
AFTER INSERT ON leads REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION leads_totals_inserted();
