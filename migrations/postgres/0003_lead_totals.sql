-- Leadsy schema, PostgreSQL dialect (twin of migrations/sqlite/0003_lead_totals.sql).
-- Count and value of leads per company, stage and assignee (0: nobody), kept by
-- triggers on every write path, so the board's totals never scan the leads.
CREATE TABLE lead_totals (
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    stage_id BIGINT NOT NULL,
    assignee BIGINT NOT NULL,
    lead_count BIGINT NOT NULL,
    value_cents BIGINT NOT NULL,
    PRIMARY KEY (company_id, stage_id, assignee)
);

INSERT INTO lead_totals (company_id, stage_id, assignee, lead_count, value_cents)
SELECT company_id, stage_id, COALESCE(assigned_user_access_id, 0), COUNT(*), SUM(value_cents)
FROM leads GROUP BY company_id, stage_id, COALESCE(assigned_user_access_id, 0);

CREATE FUNCTION leads_totals() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE lead_totals SET lead_count = lead_count - 1, value_cents = value_cents - OLD.value_cents
        WHERE company_id = OLD.company_id AND stage_id = OLD.stage_id
          AND assignee = COALESCE(OLD.assigned_user_access_id, 0);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO lead_totals (company_id, stage_id, assignee, lead_count, value_cents)
        VALUES (NEW.company_id, NEW.stage_id, COALESCE(NEW.assigned_user_access_id, 0), 1, NEW.value_cents)
        ON CONFLICT (company_id, stage_id, assignee)
        DO UPDATE SET lead_count = lead_totals.lead_count + 1,
                      value_cents = lead_totals.value_cents + EXCLUDED.value_cents;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tr_leads_totals
AFTER INSERT OR UPDATE OF stage_id, assigned_user_access_id, value_cents OR DELETE ON leads
FOR EACH ROW EXECUTE FUNCTION leads_totals();
