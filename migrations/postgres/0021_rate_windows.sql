-- twin of migrations/sqlite/0021_rate_windows.sql
-- Rate limits' counts (leadsy::limits::Window), shared by every server instance on
-- this database: a window per budget and key (a client network, an account),
-- started at its first use and forgotten once it has ended.
CREATE TABLE rate_windows (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    used BIGINT NOT NULL,
    PRIMARY KEY (bucket, key)
);
