-- How many leads of a company share each normalized email and phone (twin of
-- migrations/postgres/0015_duplicate_keys.sql), kept by triggers on every write,
-- so the Duplicates view reads its groups, largest first, from an index instead
-- of grouping every lead of the company.
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

CREATE TRIGGER tr_lead_duplicate_keys_insert AFTER INSERT ON leads BEGIN
    INSERT INTO lead_duplicate_keys (company_id, kind, value, lead_count)
    SELECT NEW.company_id, 'email', NEW.email_key, 1 WHERE NEW.email_key IS NOT NULL
    ON CONFLICT (company_id, kind, value) DO UPDATE SET lead_count = lead_count + 1;
    INSERT INTO lead_duplicate_keys (company_id, kind, value, lead_count)
    SELECT NEW.company_id, 'phone', NEW.phone_key, 1 WHERE NEW.phone_key IS NOT NULL
    ON CONFLICT (company_id, kind, value) DO UPDATE SET lead_count = lead_count + 1;
END;

CREATE TRIGGER tr_lead_duplicate_keys_delete AFTER DELETE ON leads BEGIN
    UPDATE lead_duplicate_keys SET lead_count = lead_count - 1
    WHERE company_id = OLD.company_id AND kind = 'email' AND value = OLD.email_key;
    UPDATE lead_duplicate_keys SET lead_count = lead_count - 1
    WHERE company_id = OLD.company_id AND kind = 'phone' AND value = OLD.phone_key;
END;

CREATE TRIGGER tr_lead_duplicate_keys_email AFTER UPDATE OF email_key ON leads
WHEN OLD.email_key IS NOT NEW.email_key BEGIN
    UPDATE lead_duplicate_keys SET lead_count = lead_count - 1
    WHERE company_id = OLD.company_id AND kind = 'email' AND value = OLD.email_key;
    INSERT INTO lead_duplicate_keys (company_id, kind, value, lead_count)
    SELECT NEW.company_id, 'email', NEW.email_key, 1 WHERE NEW.email_key IS NOT NULL
    ON CONFLICT (company_id, kind, value) DO UPDATE SET lead_count = lead_count + 1;
END;

CREATE TRIGGER tr_lead_duplicate_keys_phone AFTER UPDATE OF phone_key ON leads
WHEN OLD.phone_key IS NOT NEW.phone_key BEGIN
    UPDATE lead_duplicate_keys SET lead_count = lead_count - 1
    WHERE company_id = OLD.company_id AND kind = 'phone' AND value = OLD.phone_key;
    INSERT INTO lead_duplicate_keys (company_id, kind, value, lead_count)
    SELECT NEW.company_id, 'phone', NEW.phone_key, 1 WHERE NEW.phone_key IS NOT NULL
    ON CONFLICT (company_id, kind, value) DO UPDATE SET lead_count = lead_count + 1;
END;
