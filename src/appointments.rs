//! Appointments booked with a lead: they fill a rep's calendar and move the lead on.

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Appointment {
    pub id: i64,
    pub company_id: i64,
    pub lead_id: i64,
    pub user_id: i64,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub location: String,
    pub notes: String,
    /// `scheduled` when booked.
    pub status: String,
    /// The lead's name, so a calendar reads without another call.
    pub lead_name: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BookAppointment {
    pub starts_at: Timestamp,
    /// Defaults to 30 minutes after `starts_at`.
    pub ends_at: Option<Timestamp>,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub notes: String,
    /// Whose calendar it goes in: the caller's by default; managers may book for a teammate.
    pub user_id: Option<i64>,
}

/// `from` and `to` bound `starts_at` (inclusive).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct AppointmentRange {
    #[cfg_attr(feature = "server", param(value_type = Option<String>, format = DateTime))]
    pub from: Option<Timestamp>,
    #[cfg_attr(feature = "server", param(value_type = Option<String>, format = DateTime))]
    pub to: Option<Timestamp>,
}

#[cfg(feature = "server")]
pub use ops::{book, for_lead, get, mine};

#[cfg(feature = "server")]
mod ops {
    use super::{Appointment, AppointmentRange, BookAppointment};
    use crate::actor::{Member, Role};
    use crate::error::Check;
    use crate::events::{self, Kind, NewEvent};
    use crate::paging::{Meta, Page};
    use crate::stages::Stage;
    use crate::{leads, time::Timestamp, Actor, Ctx, Error, Result};

    const SELECT: &str = "SELECT a.id, a.company_id, a.lead_id, a.user_id, a.starts_at, a.ends_at, a.location, \
        a.notes, a.status, l.first_name, l.last_name, a.created_at FROM appointments a JOIN leads l ON l.id = a.lead_id";

    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        company_id: i64,
        lead_id: i64,
        user_id: i64,
        starts_at: i64,
        ends_at: i64,
        location: String,
        notes: String,
        status: String,
        first_name: String,
        last_name: String,
        created_at: i64,
    }

    impl Row {
        fn into_appointment(self) -> Appointment {
            Appointment {
                id: self.id,
                company_id: self.company_id,
                lead_id: self.lead_id,
                user_id: self.user_id,
                starts_at: Timestamp(self.starts_at),
                ends_at: Timestamp(self.ends_at),
                location: self.location,
                notes: self.notes,
                status: self.status,
                lead_name: format!("{} {}", self.first_name, self.last_name)
                    .trim()
                    .to_string(),
                created_at: Timestamp(self.created_at),
            }
        }
    }

    /// Books a meeting with a lead the caller may see and, unless the lead is
    /// already further along, moves it to `appointment_set`, both or neither.
    pub async fn book(
        ctx: &Ctx,
        me: &Member,
        lead_id: i64,
        input: BookAppointment,
    ) -> Result<Appointment> {
        let company_id = me.company_id();
        let lead = leads::visible(ctx, me, lead_id).await?;
        let mut check = Check::default();
        let ends_at = input
            .ends_at
            .unwrap_or(Timestamp(input.starts_at.0 + 30 * 60));
        if ends_at <= input.starts_at {
            check.add("ends_at", "must be after starts_at");
        }
        if input.location.chars().count() > 200 {
            check.add("location", "must be at most 200 characters");
        }
        if input.notes.chars().count() > 5000 {
            check.add("notes", "must be at most 5000 characters");
        }
        let user_id = input.user_id.unwrap_or(me.user_id());
        if user_id != me.user_id() {
            if me.role() < Role::Manager {
                check.add(
                    "user_id",
                    "a sales rep can only book appointments for themselves",
                );
            } else {
                let member: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM user_accesses WHERE user_id = $1 AND company_id = $2",
                )
                .bind(user_id)
                .bind(company_id)
                .fetch_one(&ctx.db.pool)
                .await?;
                if member == 0 {
                    check.add("user_id", "is not a member of this company");
                }
            }
        }
        check.finish()?;
        let now = Timestamp::now().0;
        let mut tx = ctx.db.begin().await?;
        let locked = leads::write::lock(&mut tx, company_id, lead.id).await?;
        if !me.sees_lead(locked.assigned_user_access_id) {
            return Err(Error::not_found("lead"));
        }
        let booked: Stage = sqlx::query_as(
            "SELECT id, key, name, position, kind FROM stages WHERE key = 'appointment_set'",
        )
        .fetch_one(&mut *tx)
        .await?;
        let position: i64 = sqlx::query_scalar("SELECT position FROM stages WHERE id = $1")
            .bind(locked.stage_id)
            .fetch_one(&mut *tx)
            .await?;
        if position < booked.position {
            let draft = leads::write::Draft {
                stage_id: booked.id,
                ..leads::write::Draft::of(&locked)
            };
            leads::write::apply(&mut tx, &me.by(ctx), &locked, &draft).await?;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO appointments (company_id, lead_id, user_id, starts_at, ends_at, location, notes, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'scheduled', $8) RETURNING id",
        )
        .bind(company_id)
        .bind(lead.id)
        .bind(user_id)
        .bind(input.starts_at.0)
        .bind(ends_at.0)
        .bind(input.location.trim())
        .bind(input.notes.trim())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let appointment = fetch(&mut *tx, id).await?;
        let event = NewEvent {
            kind: Kind::AppointmentBooked,
            lead_id: Some(lead.id),
            subject_id: Some(id),
            data: serde_json::to_value(&appointment).unwrap_or_default(),
            changes: Default::default(),
        };
        events::record(&mut tx, company_id, &me.by(ctx), event).await?;
        tx.commit().await?;
        Ok(appointment)
    }

    /// The caller's appointments: upcoming ones soonest first, then past ones most
    /// recent first.
    pub async fn mine(
        ctx: &Ctx,
        actor: &Actor,
        range: AppointmentRange,
        page: Page,
    ) -> Result<(Vec<Appointment>, Meta)> {
        let me = actor.user_id()?;
        let from = range.from.map_or(i64::MIN, |t| t.0);
        let to = range.to.map_or(i64::MAX, |t| t.0);
        // Only companies the caller still belongs to: leaving one ends its calendar.
        let scope = "a.user_id = $1 AND a.starts_at >= $2 AND a.starts_at <= $3 \
            AND a.company_id IN (SELECT company_id FROM user_accesses WHERE user_id = $1)";
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM appointments a WHERE {scope}"
        ))
        .bind(me)
        .bind(from)
        .bind(to)
        .fetch_one(&ctx.db.pool)
        .await?;
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "{SELECT} WHERE {scope} ORDER BY CASE WHEN a.ends_at >= $4 THEN 0 ELSE 1 END, \
             CASE WHEN a.ends_at >= $4 THEN a.starts_at ELSE -a.starts_at END, a.id LIMIT $5 OFFSET $6"
        ))
        .bind(me)
        .bind(from)
        .bind(to)
        .bind(Timestamp::now().0)
        .bind(page.per_page)
        .bind(page.offset())
        .fetch_all(&ctx.db.pool)
        .await?;
        Ok((
            rows.into_iter().map(Row::into_appointment).collect(),
            page.meta(total),
        ))
    }

    /// A lead's appointments, soonest first, for whoever may see the lead.
    pub async fn for_lead(ctx: &Ctx, me: &Member, lead_id: i64) -> Result<Vec<Appointment>> {
        let lead = leads::visible(ctx, me, lead_id).await?;
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "{SELECT} WHERE a.lead_id = $1 ORDER BY a.starts_at, a.id"
        ))
        .bind(lead.id)
        .fetch_all(&ctx.db.pool)
        .await?;
        Ok(rows.into_iter().map(Row::into_appointment).collect())
    }

    /// One's own appointment, or any in a company the caller manages; a member
    /// who left the company sees none of it, their own included.
    pub async fn get(ctx: &Ctx, actor: &Actor, appointment_id: i64) -> Result<Appointment> {
        let appointment = fetch(&ctx.db.pool, appointment_id).await?;
        let hidden = || Error::not_found("appointment");
        let member = Member::check(&ctx.db, actor, appointment.company_id)
            .await
            .map_err(|e| match e {
                Error::NotFound(_) => hidden(),
                other => other,
            })?;
        if appointment.user_id != member.user_id() && member.role() < Role::Manager {
            return Err(hidden());
        }
        Ok(appointment)
    }

    async fn fetch<'e>(
        db: impl sqlx::Executor<'e, Database = sqlx::Any>,
        id: i64,
    ) -> Result<Appointment> {
        let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(db)
            .await?;
        row.map(Row::into_appointment)
            .ok_or_else(|| Error::not_found("appointment"))
    }
}
