//! A statement either kind of transaction can run: the pool's (`Tx`, through sqlx's
//! Any driver, on both databases) or a bulk write's (`BulkTx`, PostgreSQL's own
//! driver there, which alone has `COPY`). The writers an import's batch shares with
//! the rest of Leadsy (the company lock, plan room, routing, cycles, events, webhook
//! fan-out) take `&mut impl Conn`, so that each is written once and runs in
//! whichever transaction its caller holds.

use super::Backend;
use crate::Result;
use sqlx::postgres::PgRow;
use sqlx::{any::AnyRow, Any, FromRow, Postgres};
use std::borrow::Cow;
use std::future::Future;

/// PostgreSQL's own transaction, for the bulk paths that need `COPY`.
pub type PgTx<'a> = sqlx::Transaction<'a, Postgres>;

/// A bound value: every column Leadsy writes is a number or text, maybe missing.
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(Some(v))
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Value {
        Value::Int(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(Some(v))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(Some(v.to_string()))
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Value {
        Value::Text(v)
    }
}

/// SQL text with its bound values, in `$n` order.
pub struct Sql {
    text: Cow<'static, str>,
    values: Vec<Value>,
    persistent: bool,
}

/// A statement kept prepared on its connection, as sqlx does by default.
pub fn sql(text: impl Into<Cow<'static, str>>) -> Sql {
    Sql {
        text: text.into(),
        values: Vec::new(),
        persistent: true,
    }
}

impl Sql {
    pub fn bind(mut self, value: impl Into<Value>) -> Sql {
        self.values.push(value.into());
        self
    }

    /// Not kept prepared: its text names values that change from call to call, or
    /// its plan must follow statistics that change (see `imports::work`).
    pub fn once(mut self) -> Sql {
        self.persistent = false;
        self
    }
}

/// A row type both drivers can read (what `#[derive(sqlx::FromRow)]` and tuples of
/// numbers and text give).
pub trait Row: for<'r> FromRow<'r, AnyRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

impl<T> Row for T where T: for<'r> FromRow<'r, AnyRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

/// An open transaction that runs `Sql`.
pub trait Conn: Send {
    fn backend(&self) -> Backend;

    /// Runs `q`; the number of rows it changed.
    fn execute(&mut self, q: Sql) -> impl Future<Output = Result<u64>> + Send;

    fn fetch_all<T: Row>(&mut self, q: Sql) -> impl Future<Output = Result<Vec<T>>> + Send;

    fn fetch_optional<T: Row>(&mut self, q: Sql) -> impl Future<Output = Result<Option<T>>> + Send;

    fn fetch_one<T: Row>(&mut self, q: Sql) -> impl Future<Output = Result<T>> + Send {
        let row = self.fetch_optional(q);
        async move { row.await?.ok_or_else(|| sqlx::Error::RowNotFound.into()) }
    }

    /// The first column of the one row `q` answers.
    fn scalar<T>(&mut self, q: Sql) -> impl Future<Output = Result<T>> + Send
    where
        (T,): Row,
    {
        let row = self.fetch_one::<(T,)>(q);
        async move { Ok(row.await?.0) }
    }

    /// The first column of every row `q` answers.
    fn scalars<T>(&mut self, q: Sql) -> impl Future<Output = Result<Vec<T>>> + Send
    where
        (T,): Row,
    {
        let rows = self.fetch_all::<(T,)>(q);
        async move { Ok(rows.await?.into_iter().map(|(v,)| v).collect()) }
    }

    fn commit(self) -> impl Future<Output = Result<()>> + Send
    where
        Self: Sized;

    fn rollback(self) -> impl Future<Output = Result<()>> + Send
    where
        Self: Sized;
}

macro_rules! bind_all {
    ($query:ident, $values:expr) => {
        for v in $values {
            $query = match v {
                Value::Int(i) => $query.bind(i),
                Value::Text(t) => $query.bind(t),
            };
        }
    };
}

/// `Conn` for a transaction of `$db`: the same binding for both drivers.
macro_rules! conn_for {
    ($db:ty, $backend:expr) => {
        impl Conn for sqlx::Transaction<'_, $db> {
            fn backend(&self) -> Backend {
                $backend(self)
            }

            async fn execute(&mut self, q: Sql) -> Result<u64> {
                let mut query = sqlx::query::<$db>(&q.text).persistent(q.persistent);
                bind_all!(query, q.values);
                Ok(query.execute(&mut **self).await?.rows_affected())
            }

            async fn fetch_all<T: Row>(&mut self, q: Sql) -> Result<Vec<T>> {
                let mut query = sqlx::query_as::<$db, T>(&q.text).persistent(q.persistent);
                bind_all!(query, q.values);
                Ok(query.fetch_all(&mut **self).await?)
            }

            async fn fetch_optional<T: Row>(&mut self, q: Sql) -> Result<Option<T>> {
                let mut query = sqlx::query_as::<$db, T>(&q.text).persistent(q.persistent);
                bind_all!(query, q.values);
                Ok(query.fetch_optional(&mut **self).await?)
            }

            async fn commit(self) -> Result<()> {
                Ok(sqlx::Transaction::commit(self).await?)
            }

            async fn rollback(self) -> Result<()> {
                Ok(sqlx::Transaction::rollback(self).await?)
            }
        }
    };
}

conn_for!(Any, Backend::of);
conn_for!(Postgres, |_: &PgTx<'_>| Backend::Postgres);

/// The transaction of a bulk write (an import's batch, demo data): PostgreSQL's own
/// driver there, for `COPY`; the pool's on SQLite. Only `Db::begin_bulk` makes one,
/// so a bulk writer on PostgreSQL always has `COPY` at hand.
pub enum BulkTx {
    Sqlite(super::Tx<'static>),
    Postgres(PgTx<'static>),
}

impl Conn for BulkTx {
    fn backend(&self) -> Backend {
        match self {
            BulkTx::Sqlite(_) => Backend::Sqlite,
            BulkTx::Postgres(_) => Backend::Postgres,
        }
    }

    async fn execute(&mut self, q: Sql) -> Result<u64> {
        match self {
            BulkTx::Sqlite(tx) => tx.execute(q).await,
            BulkTx::Postgres(tx) => tx.execute(q).await,
        }
    }

    async fn fetch_all<T: Row>(&mut self, q: Sql) -> Result<Vec<T>> {
        match self {
            BulkTx::Sqlite(tx) => tx.fetch_all(q).await,
            BulkTx::Postgres(tx) => tx.fetch_all(q).await,
        }
    }

    async fn fetch_optional<T: Row>(&mut self, q: Sql) -> Result<Option<T>> {
        match self {
            BulkTx::Sqlite(tx) => tx.fetch_optional(q).await,
            BulkTx::Postgres(tx) => tx.fetch_optional(q).await,
        }
    }

    async fn commit(self) -> Result<()> {
        match self {
            BulkTx::Sqlite(tx) => Conn::commit(tx).await,
            BulkTx::Postgres(tx) => Conn::commit(tx).await,
        }
    }

    async fn rollback(self) -> Result<()> {
        match self {
            BulkTx::Sqlite(tx) => Conn::rollback(tx).await,
            BulkTx::Postgres(tx) => Conn::rollback(tx).await,
        }
    }
}
