//! Notes a team keeps on a lead: who wrote what, when.

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Note {
    pub id: i64,
    pub lead_id: i64,
    pub author_user_id: Option<i64>,
    /// The author's name as the lead's page shows it.
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateNote {
    pub body: String,
}

pub fn parse_body(raw: &str) -> Result<String, String> {
    let body = raw.trim();
    match body.chars().count() {
        0 => Err("is required".into()),
        n if n > 10_000 => Err("must be at most 10000 characters".into()),
        _ => Ok(body.to_string()),
    }
}

#[cfg(feature = "server")]
pub(crate) use ops::for_lead;
#[cfg(feature = "server")]
pub use ops::{create, delete};

#[cfg(feature = "server")]
mod ops {
    use super::{parse_body, CreateNote, Note};
    use crate::actor::{Member, Role};
    use crate::error::Check;
    use crate::events::{self, Kind, NewEvent};
    use crate::{leads, time::Timestamp, Ctx, Error, Result};

    const SELECT: &str = "SELECT n.id, n.lead_id, n.author_user_id, u.first_name, u.last_name, n.body, n.created_at \
        FROM notes n LEFT JOIN users u ON u.id = n.author_user_id";

    #[derive(sqlx::FromRow)]
    struct NoteRow {
        id: i64,
        lead_id: i64,
        author_user_id: Option<i64>,
        first_name: Option<String>,
        last_name: Option<String>,
        body: String,
        created_at: i64,
    }

    impl NoteRow {
        fn into_note(self) -> Note {
            Note {
                id: self.id,
                lead_id: self.lead_id,
                author_user_id: self.author_user_id,
                author_name: self
                    .first_name
                    .zip(self.last_name)
                    .map(|(f, l)| format!("{f} {l}").trim().to_string()),
                body: self.body,
                created_at: Timestamp(self.created_at),
            }
        }
    }

    fn event(kind: Kind, note: &Note) -> NewEvent {
        NewEvent {
            kind,
            lead_id: Some(note.lead_id),
            subject_id: Some(note.id),
            data: serde_json::to_value(note).unwrap_or_default(),
            changes: Default::default(),
        }
    }

    /// Anyone who may see the lead may write on it.
    #[tracing::instrument(name = "notes::create", skip_all, fields(company_id = me.company_id(), lead_id))]
    pub async fn create(ctx: &Ctx, me: &Member, lead_id: i64, input: CreateNote) -> Result<Note> {
        let lead = leads::visible(ctx, me, lead_id).await?;
        let mut check = Check::default();
        let body = check.take("body", parse_body(&input.body));
        check.finish()?;
        let mut tx = ctx.db.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO notes (lead_id, author_user_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(lead.id)
        .bind(me.user_id())
        .bind(body)
        .bind(Timestamp::now().0)
        .fetch_one(&mut *tx)
        .await?;
        let note = fetch(&mut *tx, lead.id, id).await?;
        events::record(
            &mut tx,
            me.company_id(),
            &me.by(ctx),
            event(Kind::NoteCreated, &note),
        )
        .await?;
        tx.commit().await?;
        Ok(note)
    }

    /// Its author or a manager may delete a note; another rep may not.
    #[tracing::instrument(name = "notes::delete", skip_all, fields(company_id = me.company_id(), lead_id, note_id))]
    pub async fn delete(ctx: &Ctx, me: &Member, lead_id: i64, note_id: i64) -> Result<()> {
        let lead = leads::visible(ctx, me, lead_id).await?;
        let note = fetch(&ctx.db.pool, lead.id, note_id).await?;
        if note.author_user_id != Some(me.user_id()) && me.role() < Role::Manager {
            return Err(Error::Forbidden(
                "only its author or a manager may delete a note".into(),
            ));
        }
        let mut tx = ctx.db.begin().await?;
        let gone = sqlx::query("DELETE FROM notes WHERE id = $1")
            .bind(note.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if gone == 0 {
            return Err(Error::not_found("note"));
        }
        events::record(
            &mut tx,
            me.company_id(),
            &me.by(ctx),
            event(Kind::NoteDeleted, &note),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Newest first, as a timeline reads.
    pub async fn for_lead(ctx: &Ctx, lead_id: i64) -> Result<Vec<Note>> {
        let rows: Vec<NoteRow> =
            sqlx::query_as(&format!("{SELECT} WHERE n.lead_id = $1 ORDER BY n.id DESC"))
                .bind(lead_id)
                .fetch_all(&ctx.db.pool)
                .await?;
        Ok(rows.into_iter().map(NoteRow::into_note).collect())
    }

    async fn fetch<'e>(
        db: impl sqlx::Executor<'e, Database = sqlx::Any>,
        lead_id: i64,
        note_id: i64,
    ) -> Result<Note> {
        let row: Option<NoteRow> =
            sqlx::query_as(&format!("{SELECT} WHERE n.id = $1 AND n.lead_id = $2"))
                .bind(note_id)
                .bind(lead_id)
                .fetch_optional(db)
                .await?;
        row.map(NoteRow::into_note)
            .ok_or_else(|| Error::not_found("note"))
    }
}
