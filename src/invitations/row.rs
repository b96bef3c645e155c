use super::Invitation;
use crate::accesses::row::{AccessRow, ACCESS_COLUMNS};
use crate::time::Timestamp;
use crate::{Ctx, Error, Result};

pub fn select() -> String {
    format!(
        "SELECT i.id, i.email, i.company_id, c.name AS company_name, i.status, i.expires_at, \
         i.created_at, {ACCESS_COLUMNS} FROM invitations i JOIN companies c ON c.id = i.company_id \
         JOIN accesses a ON a.id = i.access_id"
    )
}

#[derive(sqlx::FromRow)]
pub struct InvitationRow {
    id: i64,
    email: String,
    company_id: i64,
    company_name: String,
    status: String,
    expires_at: i64,
    created_at: i64,
    #[sqlx(flatten)]
    access: AccessRow,
}

impl InvitationRow {
    pub fn into_invitation(self, now: Timestamp) -> Invitation {
        Invitation {
            id: self.id,
            code: None,
            email: self.email,
            company_id: self.company_id,
            company_name: self.company_name,
            access: self.access.into_access(),
            expired: self.status == "pending" && self.expires_at <= now.0,
            status: self.status,
            expires_at: Timestamp(self.expires_at),
            created_at: Timestamp(self.created_at),
        }
    }
}

/// The invitation with this code, whatever its state. The table keeps the code's
/// digest only, so a copy of the database holds no working invitation.
pub async fn by_code(ctx: &Ctx, code: &str) -> Result<Invitation> {
    let row: Option<InvitationRow> = sqlx::query_as(&format!("{} WHERE i.code = $1", select()))
        .bind(crate::secret::digest(code.trim()))
        .fetch_optional(&ctx.db.pool)
        .await?;
    row.map(|r| r.into_invitation(Timestamp::now()))
        .ok_or_else(|| Error::not_found("invitation"))
}
