-- twin of migrations/sqlite/0013_attempt_instance.sql
-- Which server instance made each webhook attempt: with several instances on one
-- database, the log shows who sent what.
ALTER TABLE webhook_attempts ADD COLUMN instance TEXT;
