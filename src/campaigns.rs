//! Campaigns: a company's marketing pushes, each optionally tied to a source, that
//! leads are tagged with.

use crate::time::Day;
use serde::{Deserialize, Serialize};

pub const STATUSES: [&str; 3] = ["active", "paused", "ended"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Campaign {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub source_id: Option<i64>,
    /// `active`, `paused` or `ended`.
    pub status: String,
    pub starts_on: Option<Day>,
    pub ends_on: Option<Day>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCampaign {
    pub name: String,
    pub source_id: Option<i64>,
    /// `active` unless given.
    pub status: Option<String>,
    pub starts_on: Option<Day>,
    pub ends_on: Option<Day>,
}

/// A partial update; `null` clears a nullable field.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCampaign {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<i64>))]
    pub source_id: Option<Option<i64>>,
    pub status: Option<String>,
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<String>))]
    pub starts_on: Option<Option<Day>>,
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<String>))]
    pub ends_on: Option<Option<Day>>,
}

#[cfg(feature = "server")]
pub use ops::{create, get, list, update};

#[cfg(feature = "server")]
mod ops {
    use super::{Campaign, CreateCampaign, UpdateCampaign, STATUSES};
    use crate::actor::{Member, Role};
    use crate::error::Check;
    use crate::events::{self, Kind, NewEvent};
    use crate::time::{Day, Timestamp};
    use crate::{db, sources, Ctx, Error, Result};

    const SELECT: &str = "SELECT id, name, source_id, status, starts_on, ends_on FROM campaigns";

    #[derive(sqlx::FromRow)]
    struct CampaignRow {
        id: i64,
        name: String,
        source_id: Option<i64>,
        status: String,
        starts_on: Option<String>,
        ends_on: Option<String>,
    }

    impl CampaignRow {
        fn into_campaign(self, company_id: i64) -> Campaign {
            Campaign {
                id: self.id,
                company_id,
                name: self.name,
                source_id: self.source_id,
                status: self.status,
                starts_on: self.starts_on.and_then(|d| Day::parse(&d).ok()),
                ends_on: self.ends_on.and_then(|d| Day::parse(&d).ok()),
            }
        }
    }

    pub async fn list(ctx: &Ctx, me: &Member) -> Result<Vec<Campaign>> {
        let company_id = me.company_id();
        let rows: Vec<CampaignRow> =
            sqlx::query_as(&format!("{SELECT} WHERE company_id = $1 ORDER BY name_key"))
                .bind(company_id)
                .fetch_all(&ctx.db.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(|r| r.into_campaign(company_id))
            .collect())
    }

    pub async fn get(ctx: &Ctx, me: &Member, campaign_id: i64) -> Result<Campaign> {
        let company_id = me.company_id();
        fetch(&mut *ctx.db.pool.acquire().await?, company_id, campaign_id).await
    }

    #[tracing::instrument(name = "campaigns::create", skip_all, fields(company_id = me.company_id()))]
    pub async fn create(ctx: &Ctx, me: &Member, input: CreateCampaign) -> Result<Campaign> {
        let company_id = me.company_id();
        me.require(Role::Manager)?;
        let merged = UpdateCampaign {
            name: Some(input.name),
            source_id: Some(input.source_id),
            status: Some(input.status.unwrap_or_else(|| "active".into())),
            starts_on: Some(input.starts_on),
            ends_on: Some(input.ends_on),
        };
        let c = checked(ctx, company_id, merged, None).await?;
        let now = Timestamp::now().0;
        let mut tx = ctx.db.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO campaigns (company_id, name, name_key, source_id, status, starts_on, ends_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(company_id)
        .bind(&c.name)
        .bind(c.name.to_lowercase())
        .bind(c.source_id)
        .bind(&c.status)
        .bind(c.starts_on.as_ref().map(Day::as_str))
        .bind(c.ends_on.as_ref().map(Day::as_str))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(name_taken)?;
        let made = fetch(&mut tx, company_id, id).await?;
        let event = NewEvent::about(Kind::CampaignCreated, Some(id), &made);
        events::record(&mut tx, company_id, &me.by(ctx), event).await?;
        tx.commit().await?;
        Ok(made)
    }

    #[tracing::instrument(name = "campaigns::update", skip_all, fields(company_id = me.company_id()))]
    pub async fn update(
        ctx: &Ctx,
        me: &Member,
        campaign_id: i64,
        patch: UpdateCampaign,
    ) -> Result<Campaign> {
        let company_id = me.company_id();
        me.require(Role::Manager)?;
        let seen = fetch(&mut *ctx.db.pool.acquire().await?, company_id, campaign_id).await?;
        // Checked before the lock: the source check reads through the pool.
        let c = checked(ctx, company_id, patch, Some(seen)).await?;
        let mut tx = ctx.db.begin().await?;
        // Locks the row first, so the event's before is what this update replaced.
        sqlx::query(
            "UPDATE campaigns SET updated_at = updated_at WHERE id = $1 AND company_id = $2",
        )
        .bind(campaign_id)
        .bind(company_id)
        .execute(&mut *tx)
        .await?;
        let current = fetch(&mut tx, company_id, campaign_id).await?;
        sqlx::query(
            "UPDATE campaigns SET name = $1, name_key = $2, source_id = $3, status = $4, starts_on = $5, ends_on = $6, \
             updated_at = $7 WHERE id = $8 AND company_id = $9",
        )
        .bind(&c.name)
        .bind(c.name.to_lowercase())
        .bind(c.source_id)
        .bind(&c.status)
        .bind(c.starts_on.as_ref().map(Day::as_str))
        .bind(c.ends_on.as_ref().map(Day::as_str))
        .bind(Timestamp::now().0)
        .bind(campaign_id)
        .bind(company_id)
        .execute(&mut *tx)
        .await
        .map_err(name_taken)?;
        let changed = fetch(&mut tx, company_id, campaign_id).await?;
        let event = NewEvent::updated(Kind::CampaignUpdated, Some(campaign_id), &current, &changed);
        events::record(&mut tx, company_id, &me.by(ctx), event).await?;
        tx.commit().await?;
        Ok(changed)
    }

    /// The campaign as it would be after `patch`, with every field checked.
    async fn checked(
        ctx: &Ctx,
        company_id: i64,
        patch: UpdateCampaign,
        current: Option<Campaign>,
    ) -> Result<Campaign> {
        let base = current.unwrap_or(Campaign {
            id: 0,
            company_id,
            name: String::new(),
            source_id: None,
            status: "active".into(),
            starts_on: None,
            ends_on: None,
        });
        let mut check = Check::default();
        let name = check.take(
            "name",
            sources::parse_name(patch.name.as_deref().unwrap_or(&base.name)).map(|(n, _)| n),
        );
        let status = patch.status.unwrap_or(base.status);
        if !STATUSES.contains(&status.as_str()) {
            check.add("status", "must be active, paused or ended");
        }
        let source_id = patch.source_id.unwrap_or(base.source_id);
        if let Some(id) = source_id {
            if sources::get(ctx, company_id, id).await.is_err() {
                check.add("source_id", "is not a source of this company");
            }
        }
        let starts_on = patch.starts_on.unwrap_or(base.starts_on);
        let ends_on = patch.ends_on.unwrap_or(base.ends_on);
        if let (Some(s), Some(e)) = (&starts_on, &ends_on) {
            if e < s {
                check.add("ends_on", "must not be before starts_on");
            }
        }
        check.finish()?;
        Ok(Campaign {
            name: name.expect("checked above"),
            status,
            source_id,
            starts_on,
            ends_on,
            ..base
        })
    }

    async fn fetch(
        conn: &mut sqlx::AnyConnection,
        company_id: i64,
        campaign_id: i64,
    ) -> Result<Campaign> {
        let row: Option<CampaignRow> =
            sqlx::query_as(&format!("{SELECT} WHERE id = $1 AND company_id = $2"))
                .bind(campaign_id)
                .bind(company_id)
                .fetch_optional(conn)
                .await?;
        row.map(|r| r.into_campaign(company_id))
            .ok_or_else(|| Error::not_found("campaign"))
    }

    fn name_taken(e: sqlx::Error) -> Error {
        db::conflict_or(
            e,
            "campaigns",
            "name_key",
            Error::conflict(
                "CAMPAIGN_NAME_ALREADY_EXISTS",
                "the company already has a campaign with this name",
            ),
        )
    }
}
