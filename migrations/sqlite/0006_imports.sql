-- Leadsy schema, SQLite dialect (twin of migrations/postgres/0006_imports.sql).
-- Lead imports: the uploaded file is in storage; a worker claims the job and writes
-- it in batches. Each batch commits its leads together with `resume_offset` and the
-- counts, so an import interrupted at any point resumes without losing or repeating
-- a row.
CREATE TABLE import_files (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    created_by_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    filename TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    status TEXT NOT NULL,
    total_rows BIGINT,
    processed_rows BIGINT NOT NULL DEFAULT 0,
    imported_rows BIGINT NOT NULL DEFAULT 0,
    duplicate_rows BIGINT NOT NULL DEFAULT 0,
    failed_rows BIGINT NOT NULL DEFAULT 0,
    resume_offset BIGINT NOT NULL DEFAULT 0,
    resume_row BIGINT NOT NULL DEFAULT 1,
    header TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '[]',
    failure TEXT,
    claimed_by TEXT,
    heartbeat_at BIGINT,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT
);
CREATE INDEX ix_import_files_company ON import_files (company_id, id);
CREATE INDEX ix_import_files_status ON import_files (status, id);

CREATE TABLE import_errors (
    import_file_id BIGINT NOT NULL REFERENCES import_files(id) ON DELETE CASCADE,
    row_number BIGINT NOT NULL,
    message TEXT NOT NULL,
    cells TEXT NOT NULL,
    PRIMARY KEY (import_file_id, row_number)
);
