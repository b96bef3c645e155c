//! Cycles: named date ranges (a sales month, a season) that tag new leads while a
//! company has them turned on. A company's cycles never overlap, so a day has at
//! most one.

use crate::time::Day;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Cycle {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub starts_on: Day,
    pub ends_on: Day,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCycle {
    pub name: String,
    pub starts_on: Day,
    pub ends_on: Day,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CyclesFlag {
    pub cycles_enabled: bool,
}

#[cfg(feature = "server")]
pub(crate) use ops::current;
#[cfg(feature = "server")]
pub use ops::{create, list, set_enabled};

#[cfg(feature = "server")]
mod ops {
    use super::{CreateCycle, Cycle, CyclesFlag};
    use crate::actor::{Member, Role};
    use crate::companies::{self, Company};
    use crate::db::{sql, Conn};
    use crate::error::Check;
    use crate::events::{self, Kind, NewEvent};
    use crate::time::{Day, Timestamp};
    use crate::{sources, Ctx, Error, Result};

    #[derive(sqlx::FromRow)]
    struct CycleRow {
        id: i64,
        name: String,
        starts_on: String,
        ends_on: String,
    }

    impl CycleRow {
        fn into_cycle(self, company_id: i64) -> Result<Cycle> {
            Ok(Cycle {
                id: self.id,
                company_id,
                name: self.name,
                starts_on: Day::parse(&self.starts_on).map_err(Error::internal)?,
                ends_on: Day::parse(&self.ends_on).map_err(Error::internal)?,
            })
        }
    }

    /// Turns cycle tagging on or off (admins).
    #[tracing::instrument(name = "cycles::set_enabled", skip_all, fields(company_id = me.company_id()))]
    pub async fn set_enabled(ctx: &Ctx, me: &Member, input: CyclesFlag) -> Result<Company> {
        let company_id = me.company_id();
        me.require(Role::Admin)?;
        let mut tx = ctx.db.begin().await?;
        let before = companies::locked(ctx, &mut tx, company_id).await?;
        sqlx::query("UPDATE companies SET cycles_enabled = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(input.cycles_enabled))
            .bind(Timestamp::now().0)
            .bind(company_id)
            .execute(&mut *tx)
            .await?;
        let company = companies::recorded(ctx, me, &mut tx, &before).await?;
        tx.commit().await?;
        Ok(company)
    }

    /// Adds a cycle (managers); one overlapping another is refused with `CYCLE_OVERLAP`.
    #[tracing::instrument(name = "cycles::create", skip_all, fields(company_id = me.company_id()))]
    pub async fn create(ctx: &Ctx, me: &Member, input: CreateCycle) -> Result<Cycle> {
        let company_id = me.company_id();
        me.require(Role::Manager)?;
        let mut check = Check::default();
        let name = check.take("name", sources::parse_name(&input.name).map(|(n, _)| n));
        if input.ends_on < input.starts_on {
            check.add("ends_on", "must not be before starts_on");
        }
        check.finish()?;
        let mut tx = ctx.db.begin().await?;
        // Locks the company first so two overlapping creates cannot both pass the check.
        sqlx::query("UPDATE companies SET updated_at = updated_at WHERE id = $1")
            .bind(company_id)
            .execute(&mut *tx)
            .await?;
        let clash: Option<String> = sqlx::query_scalar(
            "SELECT name FROM cycles WHERE company_id = $1 AND starts_on <= $2 AND ends_on >= $3 LIMIT 1",
        )
        .bind(company_id)
        .bind(input.ends_on.as_str())
        .bind(input.starts_on.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(other) = clash {
            return Err(Error::Validation {
                code: "CYCLE_OVERLAP".into(),
                message: format!("the dates overlap the cycle \u{201c}{other}\u{201d}"),
                fields: [(
                    "starts_on".to_string(),
                    vec![format!("overlaps the cycle {other}")],
                )]
                .into(),
            });
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO cycles (company_id, name, starts_on, ends_on, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(company_id)
        .bind(&name)
        .bind(input.starts_on.as_str())
        .bind(input.ends_on.as_str())
        .bind(Timestamp::now().0)
        .fetch_one(&mut *tx)
        .await?;
        let cycle = Cycle {
            id,
            company_id,
            name: name.expect("checked above"),
            starts_on: input.starts_on,
            ends_on: input.ends_on,
        };
        let event = NewEvent::about(Kind::CycleCreated, Some(id), &cycle);
        events::record(&mut tx, company_id, &me.by(ctx), event).await?;
        tx.commit().await?;
        Ok(cycle)
    }

    /// Oldest first.
    pub async fn list(ctx: &Ctx, me: &Member) -> Result<Vec<Cycle>> {
        let company_id = me.company_id();
        let rows: Vec<CycleRow> = sqlx::query_as(
            "SELECT id, name, starts_on, ends_on FROM cycles WHERE company_id = $1 ORDER BY starts_on",
        )
        .bind(company_id)
        .fetch_all(&ctx.db.pool)
        .await?;
        rows.into_iter().map(|r| r.into_cycle(company_id)).collect()
    }

    /// The cycle holding `day`, if the company has cycles turned on.
    pub async fn current(db: &mut impl Conn, company_id: i64, day: &Day) -> Result<Option<i64>> {
        let found: Option<(i64,)> = db
            .fetch_optional(
                sql("SELECT cy.id FROM cycles cy JOIN companies co ON co.id = cy.company_id \
                     WHERE co.id = $1 AND co.cycles_enabled = 1 AND cy.starts_on <= $2 AND cy.ends_on >= $2 LIMIT 1")
                .bind(company_id)
                .bind(day.as_str()),
            )
            .await?;
        Ok(found.map(|(id,)| id))
    }
}
