-- twin of migrations/sqlite/0020_search_scope.sql
-- SQLite's full-text index gains each lead's company and assignee as words of
-- their own. PostgreSQL's GIN index needs no twin: its planner combines the
-- full-text match with the company's B-tree index by itself.
SELECT 1;
