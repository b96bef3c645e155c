-- Leadsy schema, SQLite dialect (twin of migrations/postgres/0009_fair_imports.sql).
-- One running import per company: the rest wait, and workers pick the company
-- served longest ago first, so one company's queue of large files cannot hold
-- every other company back. The index makes the rule hold however many workers
-- claim at once; any second running import of a company goes back to the queue.
UPDATE import_files SET status = 'queued', claimed_by = NULL
WHERE status = 'processing' AND id NOT IN (
    SELECT MIN(id) FROM import_files WHERE status = 'processing' GROUP BY company_id
);
CREATE UNIQUE INDEX ux_import_files_one_running ON import_files (company_id)
    WHERE status = 'processing';
-- Uploaded files are deleted some days after their import ends; this records when.
ALTER TABLE import_files ADD COLUMN file_deleted_at BIGINT;
CREATE INDEX ix_import_files_finished ON import_files (finished_at)
    WHERE file_deleted_at IS NULL;
