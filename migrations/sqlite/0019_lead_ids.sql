-- twin of migrations/postgres/0019_lead_ids.sql
-- SQLite gives a new row the highest id plus one, so the id of the newest lead,
-- once deleted or merged away, went to the next lead, which then inherited its
-- history and merges. The highest id ever given is kept here, and new leads take
-- ids above it (`leads::write`); PostgreSQL's identity never reuses one.
CREATE TABLE lead_id_high (high BIGINT NOT NULL);
INSERT INTO lead_id_high (high) SELECT COALESCE(MAX(id), 0) FROM leads;
CREATE TRIGGER tr_lead_id_high AFTER INSERT ON leads
WHEN NEW.id > (SELECT high FROM lead_id_high) BEGIN
    UPDATE lead_id_high SET high = NEW.id;
END;
