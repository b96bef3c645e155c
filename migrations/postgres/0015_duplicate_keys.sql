-- How many leads of a company share each normalized email and phone (twin of
-- migrations/sqlite/0015_duplicate_keys.sql), kept by triggers on every write,
-- so the Duplicates view reads its groups, largest first, from an index instead
-- of grouping every lead of the company. Inserts count once per statement, as
-- `lead_totals` does (0007), so an import's batch stays one pass.
CREATE TABLE lead_duplicate_keys (
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    lead_count BIGINT NOT NULL,
    PRIMARY KEY (company_id, kind, value)
);
CREATE INDEX ix_lead_duplicate_keys_shared
    ON lead_duplicate_keys (company_id, lead_count DESC, kind, value) WHERE lead_count > 1;

INSERT INTO lead_duplicate_keys (company_id, kind, value, lead_count)
SELECT company_id, 'email', email_key, COUNT(*) FROM leads
WHERE email_key IS NOT NULL GROUP BY company_id, email_key;
INSERT INTO lead_duplicate_keys (company_id, kind, value, lead_count)
SELECT company_id, 'phone', phone_key, COUNT(*) FROM leads
WHERE phone_key IS NOT NULL GROUP BY company_id, phone_key;

CREATE FUNCTION lead_duplicate_keys_inserted() RETURNS trigger AS $$
BEGIN
    INSERT INTO lead_duplicate_keys (company_id, kind, value, lead_count)
    SELECT company_id, k.kind, k.value, COUNT(*)
    FROM new_rows, LATERAL (VALUES ('email', email_key), ('phone', phone_key)) AS k(kind, value)
    WHERE k.value IS NOT NULL GROUP BY 1, 2, 3
    ON CONFLICT (company_id, kind, value)
    DO UPDATE SET lead_count = lead_duplicate_keys.lead_count + EXCLUDED.lead_count;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tr_lead_duplicate_keys_insert
AFTER INSERT ON leads REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION lead_duplicate_keys_inserted();

CREATE FUNCTION lead_duplicate_keys_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.email_key IS DISTINCT FROM NEW.email_key THEN
        UPDATE lead_duplicate_keys SET lead_count = lead_count - 1
        WHERE company_id = OLD.company_id AND kind = 'email' AND value = OLD.email_key;
    END IF;
    IF TG_OP = 'DELETE' OR OLD.phone_key IS DISTINCT FROM NEW.phone_key THEN
        UPDATE lead_duplicate_keys SET lead_count = lead_count - 1
        WHERE company_id = OLD.company_id AND kind = 'phone' AND value = OLD.phone_key;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO lead_duplicate_keys (company_id, kind, value, lead_count)
        SELECT NEW.company_id, k.kind, k.value, 1
        FROM (VALUES ('email', NEW.email_key, OLD.email_key), ('phone', NEW.phone_key, OLD.phone_key))
            AS k(kind, value, was)
        WHERE k.value IS NOT NULL AND k.value IS DISTINCT FROM k.was
        ON CONFLICT (company_id, kind, value)
        DO UPDATE SET lead_count = lead_duplicate_keys.lead_count + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tr_lead_duplicate_keys_change
AFTER UPDATE OF email_key, phone_key OR DELETE ON leads
FOR EACH ROW EXECUTE FUNCTION lead_duplicate_keys_changed();
