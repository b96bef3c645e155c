-- Full-text search over leads (twin of migrations/postgres/0014_search.sql). The lead
-- writer stores each lead's words, already folded (leads::search): `search_text`
-- for who the lead is, `search_contact` for how to reach them. FTS5 indexes both,
-- kept in step with every insert, change and delete by the triggers below, with
-- prefix indexes so a two- or three-letter prefix reads one short list.
ALTER TABLE leads ADD COLUMN search_contact TEXT NOT NULL DEFAULT '';

CREATE VIRTUAL TABLE lead_search USING fts5(
    search_text, search_contact,
    content = 'leads', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3'
);
-- A name outranks an email or phone that matches as well.
INSERT INTO lead_search (lead_search, rank) VALUES ('rank', 'bm25(4.0, 1.0)');
INSERT INTO lead_search (lead_search) VALUES ('rebuild');

CREATE TRIGGER tr_lead_search_insert AFTER INSERT ON leads BEGIN
    INSERT INTO lead_search (rowid, search_text, search_contact)
    VALUES (new.id, new.search_text, new.search_contact);
END;
CREATE TRIGGER tr_lead_search_delete AFTER DELETE ON leads BEGIN
    INSERT INTO lead_search (lead_search, rowid, search_text, search_contact)
    VALUES ('delete', old.id, old.search_text, old.search_contact);
END;
CREATE TRIGGER tr_lead_search_update AFTER UPDATE OF search_text, search_contact ON leads BEGIN
    INSERT INTO lead_search (lead_search, rowid, search_text, search_contact)
    VALUES ('delete', old.id, old.search_text, old.search_contact);
    INSERT INTO lead_search (rowid, search_text, search_contact)
    VALUES (new.id, new.search_text, new.search_contact);
END;

-- Leads written before this migration hold the old words; the server rewrites
-- them in the background after start (leads::search::reindex), from this id on.
CREATE TABLE lead_search_backfill (after_id BIGINT NOT NULL);
INSERT INTO lead_search_backfill (after_id) SELECT 0 WHERE EXISTS (SELECT 1 FROM leads);
