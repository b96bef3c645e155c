-- twin of migrations/postgres/0017_merges.sql
-- Merges of duplicate leads, kept whole for 30 days so a merge can be undone: the
-- merged leads as they were, what moved to the surviving lead, and how its
-- fields changed.
CREATE TABLE lead_merges (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    -- The surviving lead; no foreign key, the record outlives a later deletion.
    lead_id BIGINT NOT NULL,
    -- JSON: the merged leads as the API showed them, which undo puts back.
    merged TEXT NOT NULL,
    -- JSON: the note and appointment ids that moved, by the lead they came from.
    moved TEXT NOT NULL,
    -- JSON: the survivor's fields the merge changed, before and after.
    changes TEXT NOT NULL,
    -- JSON: the lead each chosen field was taken from.
    fields TEXT NOT NULL,
    merged_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    undone_at BIGINT
);
CREATE INDEX ix_lead_merges_lead ON lead_merges (company_id, lead_id, id);

-- Which leads each merge took in: a survivor's history includes theirs.
CREATE TABLE lead_merge_members (
    merge_id BIGINT NOT NULL REFERENCES lead_merges(id) ON DELETE CASCADE,
    lead_id BIGINT NOT NULL,
    PRIMARY KEY (merge_id, lead_id)
);
CREATE INDEX ix_lead_merge_members_lead ON lead_merge_members (lead_id);
