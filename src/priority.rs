//! Items a company keeps in one priority order (sources, questions): the whole
//! order is set at once, and deleting an item closes the gap it leaves.

use crate::{db::Tx, Error, Result};

/// The tables with a `priority` column per company.
#[derive(Clone, Copy)]
pub(crate) enum Ordered {
    Sources,
    Questions,
}

impl Ordered {
    fn table(self) -> &'static str {
        match self {
            Ordered::Sources => "sources",
            Ordered::Questions => "questions",
        }
    }
}

/// Sets the order to `wanted`, which must name every item of the company exactly
/// once (else `field` is refused and nothing changes). Writes first, so concurrent
/// reorders queue up instead of interleaving.
pub(crate) async fn set(
    tx: &mut Tx<'_>,
    what: Ordered,
    company_id: i64,
    field: &str,
    wanted: &[i64],
) -> Result<()> {
    let table = what.table();
    sqlx::query(&format!(
        "UPDATE {table} SET priority = priority WHERE company_id = $1"
    ))
    .bind(company_id)
    .execute(&mut **tx)
    .await?;
    let mut current: Vec<i64> =
        sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE company_id = $1"))
            .bind(company_id)
            .fetch_all(&mut **tx)
            .await?;
    let mut sorted = wanted.to_vec();
    current.sort_unstable();
    sorted.sort_unstable();
    if current != sorted {
        return Err(Error::field(
            field,
            "must list every id of the company exactly once",
        ));
    }
    renumber(tx, what, company_id, wanted).await
}

/// Priorities 1..n in the current order, after an item was removed.
pub(crate) async fn close_gaps(tx: &mut Tx<'_>, what: Ordered, company_id: i64) -> Result<()> {
    let ids: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM {} WHERE company_id = $1 ORDER BY priority, id",
        what.table()
    ))
    .bind(company_id)
    .fetch_all(&mut **tx)
    .await?;
    renumber(tx, what, company_id, &ids).await
}

async fn renumber(tx: &mut Tx<'_>, what: Ordered, company_id: i64, ids: &[i64]) -> Result<()> {
    let sql = format!(
        "UPDATE {} SET priority = $1 WHERE id = $2 AND company_id = $3",
        what.table()
    );
    for (i, id) in ids.iter().enumerate() {
        sqlx::query(&sql)
            .bind(i as i64 + 1)
            .bind(id)
            .bind(company_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
