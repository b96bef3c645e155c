//! One pool for SQLite (embedded default) and PostgreSQL, through sqlx's Any driver
//! so that the same SQL text serves both; the few dialect twins live here. On
//! PostgreSQL a second, small pool on its own driver serves the bulk writes that
//! need `COPY` (`BulkTx`).

mod conn;
mod copy;

pub use conn::{sql, BulkTx, Conn, PgTx, Row, Value};
pub use copy::copy_with_ids;

use crate::{Error, Result};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The database a transaction runs on.
    pub fn of(tx: &Tx<'_>) -> Backend {
        if tx.backend_name() == "PostgreSQL" {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// `rows` parenthesized groups of `columns` bind marks, for a multi-row
    /// `VALUES`. SQLite gets anonymous `?` marks: it looks numbered ones (`$n`)
    /// up by name, which makes preparing a statement with thousands of them take
    /// seconds instead of milliseconds.
    pub fn value_rows(self, rows: usize, columns: usize) -> String {
        let mut sql = String::with_capacity(rows * columns * 6);
        for row in 0..rows {
            sql.push_str(if row == 0 { "(" } else { ", (" });
            for column in 0..columns {
                if column > 0 {
                    sql.push_str(", ");
                }
                match self {
                    Backend::Sqlite => sql.push('?'),
                    Backend::Postgres => sql.push_str(&format!("${}", row * columns + column + 1)),
                }
            }
            sql.push(')');
        }
        sql
    }

    /// A `FROM` item reading the JSON array of strings bound at `mark` as a table
    /// `keys` of one column, `value`: a list of any length travels as one value.
    pub fn json_strings(self, mark: &str) -> String {
        match self {
            Backend::Sqlite => format!("json_each({mark}) AS keys"),
            Backend::Postgres => {
                format!("json_array_elements_text(CAST({mark} AS json)) AS keys(value)")
            }
        }
    }
}

/// The bulk pool's size (see `Db::pg`).
const BULK_CONNECTIONS: u32 = 2;

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// PostgreSQL's own driver beside the Any pool, for the bulk writes that need
    /// `COPY`: an instance's one import worker and demo data, so two connections,
    /// opened on first use, beyond `DB_MAX_CONNECTIONS`.
    pg: Option<sqlx::PgPool>,
    /// Where it connects, for tools that start servers of their own on the same
    /// database (the tests of several instances).
    pub url: String,
}

impl Db {
    /// Connects, creating the SQLite file and its folder when missing, and migrates.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                             PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            });
        let pool = options.connect(&url).await?;
        let pg = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(
                sqlx::postgres::PgPoolOptions::new()
                    .max_connections(BULK_CONNECTIONS)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_lazy(&url)?,
            ),
        };
        let db = Db {
            pool,
            backend,
            pg,
            url,
        };
        db.migrate().await?;
        Ok(db)
    }

    pub async fn migrate(&self) -> Result<(), sqlx::Error> {
        self.migrator().run(&self.pool).await?;
        self.digest_legacy_codes().await
    }

    /// The migrations this build carries for its database.
    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        static SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
        static POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");
        match self.backend {
            Backend::Sqlite => &SQLITE,
            Backend::Postgres => &POSTGRES,
        }
    }

    /// Whether the database answers and holds every migration this build knows
    /// (another instance may be migrating it, or it may be an older backup): what
    /// a load balancer asks before sending requests here. The reason when not.
    pub async fn ready(&self) -> Result<(), String> {
        let latest = self.migrator().iter().map(|m| m.version).max().unwrap_or(0);
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await
                .map_err(|e| {
                    tracing::warn!(error = %e, "the database does not answer");
                    "the database does not answer".to_string()
                })?;
        match applied {
            Some(v) if v >= latest => Ok(()),
            Some(v) => Err(format!(
                "the database is migrated up to {v}; this build needs {latest}"
            )),
            None => Err("the database is not migrated".into()),
        }
    }

    /// An online, consistent copy of the SQLite database into a new file at
    /// `path` (`VACUUM INTO`: writers go on meanwhile). PostgreSQL is backed up
    /// with its own tools.
    pub async fn backup(&self, path: &std::path::Path) -> Result<(), String> {
        if self.backend == Backend::Postgres {
            return Err(
                "on PostgreSQL, back up with pg_dump (or the server's base backups): see the README".into(),
            );
        }
        if path.exists() {
            return Err(format!(
                "{} exists already: choose a new file",
                path.display()
            ));
        }
        let target = path
            .to_str()
            .ok_or_else(|| "the backup's path is not valid UTF-8".to_string())?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await
            .map_err(|e| format!("the backup failed: {e}"))?;
        Ok(())
    }

    /// Replaces the invitation codes that migration 0008 marked `legacy:` (mailed
    /// before codes were stored as digests) with their digests, so their links
    /// keep working. After the first start there are none left to find.
    async fn digest_legacy_codes(&self) -> Result<(), sqlx::Error> {
        let legacy: Vec<String> =
            sqlx::query_scalar("SELECT code FROM invitations WHERE code LIKE 'legacy:%'")
                .fetch_all(&self.pool)
                .await?;
        for marked in legacy {
            let Some(code) = marked.strip_prefix("legacy:") else {
                continue;
            };
            sqlx::query("UPDATE invitations SET code = $1 WHERE code = $2")
                .bind(crate::secret::digest(code))
                .bind(&marked)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// What a subquery adds to take the rows it picks without waiting on, or
    /// taking, rows another transaction holds. SQLite has one writer at a time, so
    /// it needs nothing.
    pub fn skip_locked(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        }
    }

    pub async fn begin(&self) -> Result<Tx<'static>> {
        Ok(self.pool.begin().await?)
    }

    /// A transaction for a bulk write: on PostgreSQL's own driver there.
    pub async fn begin_bulk(&self) -> Result<BulkTx> {
        match &self.pg {
            Some(pg) => Ok(BulkTx::Postgres(pg.begin().await?)),
            None => Ok(BulkTx::Sqlite(self.begin().await?)),
        }
    }
}

/// A fresh, empty, migrated database for a test or a benchmark: a new database on
/// the PostgreSQL server of `postgres_url` when given, else a SQLite file in `dir`.
pub async fn scratch(postgres_url: Option<&str>, dir: &std::path::Path) -> Result<Db, sqlx::Error> {
    let name = format!("leadsy_test_{}", &crate::secret::generate("")[..16]);
    match postgres_url {
        Some(url) => {
            sqlx::any::install_default_drivers();
            let admin = AnyPoolOptions::new()
                .max_connections(1)
                .connect(url)
                .await?;
            admin
                .execute(format!("CREATE DATABASE {name}").as_str())
                .await?;
            admin.close().await;
            let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(url);
            Db::connect(&format!("{base}/{name}"), 5).await
        }
        None => Db::connect(&format!("sqlite://{}/{name}.db", dir.display()), 5).await,
    }
}

/// `sqlite://data/leadsy.db` means a file relative to the working directory; make
/// its folder and let SQLite create the file.
fn prepare_sqlite_url(url: &str) -> Result<String, sqlx::Error> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    if !path.is_empty() && path != ":memory:" {
        if let Some(dir) = std::path::Path::new(&path).parent() {
            std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
        }
    }
    let with_mode = if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    };
    sqlx::any::AnyConnectOptions::from_str(&with_mode)?;
    Ok(with_mode)
}

/// True when `err` broke the unique constraint `uq_{table}_{column}`. PostgreSQL names
/// the constraint; SQLite only says `UNIQUE constraint failed: table.column`.
pub fn is_unique_violation(err: &sqlx::Error, table: &str, column: &str) -> bool {
    let Some(db) = err.as_database_error() else {
        return false;
    };
    if !db.is_unique_violation() {
        return false;
    }
    match db.constraint() {
        Some(name) => name == format!("uq_{table}_{column}"),
        None => db.message().contains(&format!("{table}.{column}")),
    }
}

/// Maps a unique violation to the conflict the contract names, anything else to internal.
pub fn conflict_or(err: sqlx::Error, table: &str, column: &str, conflict: Error) -> Error {
    if is_unique_violation(&err, table, column) {
        conflict
    } else {
        Error::from(err)
    }
}

#[cfg(test)]
mod tests {
    use super::Backend;

    #[test]
    fn value_rows_number_marks_on_postgres_only() {
        assert_eq!(Backend::Sqlite.value_rows(2, 2), "(?, ?), (?, ?)");
        assert_eq!(Backend::Postgres.value_rows(2, 2), "($1, $2), ($3, $4)");
    }
}
