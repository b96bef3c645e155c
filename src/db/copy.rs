//! Rows streamed into PostgreSQL with `COPY ... FROM STDIN` in its text format,
//! sent in chunks as they are encoded: the server writes one chunk while the next
//! is being encoded, and a batch is never held whole twice. Each row's id is drawn
//! beforehand from the table's identity: `COPY` has no `RETURNING`.

use super::{sql, Conn, PgTx, Value};
use crate::{Error, Result};
use sqlx::postgres::PgCopyIn;
use sqlx::PgConnection;
use std::io::Write;

/// What is encoded before it is sent.
const CHUNK: usize = 256 * 1024;

struct CopyIn<'c> {
    sink: PgCopyIn<&'c mut PgConnection>,
    buf: Vec<u8>,
}

impl<'c> CopyIn<'c> {
    /// Starts `COPY <table> (<columns>) FROM STDIN`.
    async fn start(conn: &'c mut PgConnection, table: &str, columns: &str) -> Result<CopyIn<'c>> {
        let sink = conn
            .copy_in_raw(&format!("COPY {table} ({columns}) FROM STDIN"))
            .await?;
        Ok(CopyIn {
            sink,
            buf: Vec::with_capacity(CHUNK + 4096),
        })
    }

    /// Encodes a row, sending what is encoded once it fills a chunk.
    async fn row(&mut self, values: impl IntoIterator<Item = Value>) -> Result<()> {
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.buf.push(b'\t');
            }
            match v {
                Value::Int(Some(n)) => {
                    let _ = write!(self.buf, "{n}");
                }
                Value::Text(Some(t)) => escape_into(&mut self.buf, &t),
                Value::Int(None) | Value::Text(None) => self.buf.extend_from_slice(b"\\N"),
            }
        }
        self.buf.push(b'\n');
        if self.buf.len() >= CHUNK {
            let full = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK + 4096));
            self.sink.send(full).await?;
        }
        Ok(())
    }

    /// Sends the rest and waits for the server to write every row; an error unless
    /// it wrote all `rows`.
    async fn finish(mut self, rows: usize) -> Result<()> {
        if !self.buf.is_empty() {
            let rest = std::mem::take(&mut self.buf);
            self.sink.send(rest).await?;
        }
        if self.sink.finish().await? != rows as u64 {
            return Err(Error::internal("a COPY did not write every row"));
        }
        Ok(())
    }
}

/// Copies `rows` into `table`, each after an id drawn for it (`columns` name the
/// rest); the ids, in the rows' order. An error unless every row was written.
pub async fn copy_with_ids<R: IntoIterator<Item = Value>>(
    tx: &mut PgTx<'_>,
    table: &'static str,
    columns: &str,
    rows: impl ExactSizeIterator<Item = R>,
) -> Result<Vec<i64>> {
    let n = rows.len();
    let ids: Vec<i64> = tx
        .scalars(
            sql(format!(
                "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) \
                 FROM generate_series(1, $1) ORDER BY 1"
            ))
            .bind(n as i64),
        )
        .await?;
    let mut copy = CopyIn::start(tx, table, &format!("id, {columns}")).await?;
    for (id, row) in ids.iter().zip(rows) {
        copy.row(std::iter::once(Value::from(*id)).chain(row))
            .await?;
    }
    copy.finish(n).await?;
    Ok(ids)
}

/// A value as the text format reads it: backslash, newline, return and tab escaped.
fn escape_into(buf: &mut Vec<u8>, v: &str) {
    for b in v.bytes() {
        match b {
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            b => buf.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_text_format_escapes_its_separators() {
        let mut buf = Vec::new();
        super::escape_into(&mut buf, "a\\b\tc\nd\re, \\N ü");
        assert_eq!(buf, "a\\\\b\\tc\\nd\\re, \\\\N ü".as_bytes());
    }
}
