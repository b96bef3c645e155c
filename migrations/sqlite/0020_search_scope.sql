-- twin of migrations/postgres/0020_search_scope.sql
-- A lead's company and assignee as words of the full-text index (`_c42 _a7`, `_a0`
-- for nobody), in a column of their own that a typed query never reaches: `_` is a
-- word character here, and typed terms never hold one (leads::search). A search
-- then counts and pages its company's matches inside the index alone: joining every
-- match to its lead to check the company cost 180 ms for a four-letter prefix at a
-- million leads (bench-hygiene), and a large company's matches slowed every other.
ALTER TABLE leads ADD COLUMN search_scope TEXT
    GENERATED ALWAYS AS ('_c' || company_id || ' _a' || COALESCE(assigned_user_access_id, 0)) VIRTUAL;

DROP TRIGGER tr_lead_search_insert;
DROP TRIGGER tr_lead_search_delete;
DROP TRIGGER tr_lead_search_update;
DROP TABLE lead_search;

CREATE VIRTUAL TABLE lead_search USING fts5(
    search_text, search_contact, search_scope,
    content = 'leads', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_'", prefix = '2 3'
);
INSERT INTO lead_search (lead_search) VALUES ('rebuild');

CREATE TRIGGER tr_lead_search_insert AFTER INSERT ON leads BEGIN
    INSERT INTO lead_search (rowid, search_text, search_contact, search_scope)
    VALUES (new.id, new.search_text, new.search_contact, new.search_scope);
END;
CREATE TRIGGER tr_lead_search_delete AFTER DELETE ON leads BEGIN
    INSERT INTO lead_search (lead_search, rowid, search_text, search_contact, search_scope)
    VALUES ('delete', old.id, old.search_text, old.search_contact, old.search_scope);
END;
CREATE TRIGGER tr_lead_search_update
AFTER UPDATE OF search_text, search_contact, company_id, assigned_user_access_id ON leads BEGIN
    INSERT INTO lead_search (lead_search, rowid, search_text, search_contact, search_scope)
    VALUES ('delete', old.id, old.search_text, old.search_contact, old.search_scope);
    INSERT INTO lead_search (rowid, search_text, search_contact, search_scope)
    VALUES (new.id, new.search_text, new.search_contact, new.search_scope);
END;
