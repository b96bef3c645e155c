//! Territories: postal codes and the reps who work them. A lead whose postal code
//! a territory holds is routed to its reps before its source's.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Territory {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub postal_codes: Vec<String>,
    pub user_access_ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTerritory {
    pub name: String,
    pub postal_codes: Vec<String>,
    #[serde(default)]
    pub user_access_ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateTerritories {
    pub territories: Vec<NewTerritory>,
}

#[cfg(feature = "server")]
pub use ops::{create, delete, list};

#[cfg(feature = "server")]
mod ops {
    use super::{CreateTerritories, Territory};
    use crate::actor::{Member, Role};
    use crate::error::Check;
    use crate::events::{self, Kind, NewEvent};
    use crate::leads::parse_postal_code;
    use crate::{sources, time::Timestamp, Ctx, Result};

    /// Creates them all or none: any refused field names its territory, e.g.
    /// `territories[1].postal_codes`.
    pub async fn create(
        ctx: &Ctx,
        me: &Member,
        input: CreateTerritories,
    ) -> Result<Vec<Territory>> {
        let company_id = me.company_id();
        me.require(Role::Manager)?;
        let mut check = Check::default();
        if input.territories.is_empty() {
            check.add("territories", "must hold at least one territory");
        }
        let mut parsed = Vec::new();
        for (i, t) in input.territories.iter().enumerate() {
            let at = |f: &str| format!("territories[{i}].{f}");
            let name = check.take(&at("name"), sources::parse_name(&t.name).map(|(n, _)| n));
            let mut codes = Vec::new();
            for raw in &t.postal_codes {
                if let Some(code) = check.take(&at("postal_codes"), parse_postal_code(raw)) {
                    if !codes.contains(&code) {
                        codes.push(code);
                    }
                }
            }
            if t.postal_codes.is_empty() {
                check.add(&at("postal_codes"), "must hold at least one postal code");
            }
            sources::check_members(
                ctx,
                company_id,
                &at("user_access_ids"),
                &t.user_access_ids,
                &mut check,
            )
            .await?;
            parsed.push((name, codes, t.user_access_ids.clone()));
        }
        check.finish()?;
        let mut tx = ctx.db.begin().await?;
        let mut ids = Vec::new();
        for (name, codes, reps) in parsed {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO territories (company_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(company_id)
            .bind(name)
            .bind(Timestamp::now().0)
            .fetch_one(&mut *tx)
            .await?;
            for (pos, code) in codes.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO territory_postal_codes (territory_id, company_id, postal_code, position) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(company_id)
                .bind(code)
                .bind(pos as i64)
                .execute(&mut *tx)
                .await?;
            }
            let mut reps = reps;
            reps.sort_unstable();
            reps.dedup();
            for ua in reps {
                sqlx::query("INSERT INTO territory_user_accesses (territory_id, user_access_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(ua)
                    .execute(&mut *tx)
                    .await?;
            }
            ids.push(id);
        }
        let made: Vec<Territory> = all_on(&mut tx, company_id)
            .await?
            .into_iter()
            .filter(|t| ids.contains(&t.id))
            .collect();
        let events: Vec<NewEvent> = made
            .iter()
            .map(|t| NewEvent::about(Kind::TerritoryCreated, Some(t.id), t))
            .collect();
        events::record_many(&mut tx, company_id, &me.by(ctx), &events).await?;
        tx.commit().await?;
        Ok(made)
    }

    /// Removes a territory (managers); its postal codes route by source again.
    pub async fn delete(ctx: &Ctx, me: &Member, territory_id: i64) -> Result<()> {
        let company_id = me.company_id();
        me.require(Role::Manager)?;
        let mut tx = ctx.db.begin().await?;
        let territory = all_on(&mut tx, company_id)
            .await?
            .into_iter()
            .find(|t| t.id == territory_id)
            .ok_or_else(|| crate::Error::not_found("territory"))?;
        sqlx::query("DELETE FROM territories WHERE id = $1 AND company_id = $2")
            .bind(territory_id)
            .bind(company_id)
            .execute(&mut *tx)
            .await?;
        let event = NewEvent::about(Kind::TerritoryDeleted, Some(territory_id), &territory);
        events::record(&mut tx, company_id, &me.by(ctx), event).await?;
        tx.commit().await?;
        Ok(())
    }

    /// In routing order: the first one created wins a shared postal code.
    pub async fn list(ctx: &Ctx, me: &Member) -> Result<Vec<Territory>> {
        let company_id = me.company_id();
        all_on(&mut *ctx.db.pool.acquire().await?, company_id).await
    }

    /// The territories as `conn` (a transaction's, for an event) sees them.
    async fn all_on(conn: &mut sqlx::AnyConnection, company_id: i64) -> Result<Vec<Territory>> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM territories WHERE company_id = $1 ORDER BY id")
                .bind(company_id)
                .fetch_all(&mut *conn)
                .await?;
        let codes: Vec<(i64, String)> = sqlx::query_as(
            "SELECT territory_id, postal_code FROM territory_postal_codes WHERE company_id = $1 ORDER BY territory_id, position",
        )
        .bind(company_id)
        .fetch_all(&mut *conn)
        .await?;
        let reps: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT tua.territory_id, tua.user_access_id FROM territory_user_accesses tua \
             JOIN territories t ON t.id = tua.territory_id WHERE t.company_id = $1 ORDER BY tua.user_access_id",
        )
        .bind(company_id)
        .fetch_all(&mut *conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| Territory {
                id,
                company_id,
                name,
                postal_codes: codes
                    .iter()
                    .filter(|(t, _)| *t == id)
                    .map(|(_, c)| c.clone())
                    .collect(),
                user_access_ids: reps
                    .iter()
                    .filter(|(t, _)| *t == id)
                    .map(|(_, u)| *u)
                    .collect(),
            })
            .collect())
    }
}
