//! Invitations: an admin invites an email into the company with an access; the
//! invitee opens the mailed link, signs up or logs in with that email, and joins.

use crate::{accesses::Access, time::Timestamp};
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod accept;
#[cfg(feature = "server")]
mod manage;
#[cfg(feature = "server")]
pub(crate) mod row;

#[cfg(feature = "server")]
pub use {
    accept::{accept, accept_offered, by_code, pending_for_email, pending_for_me},
    manage::{create, list, revoke},
};

/// How long a mailed link can be used.
pub const TTL_SECS: i64 = 7 * 24 * 3600;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub id: i64,
    /// Always null: codes are kept only as digests, and the code itself is in
    /// the invitation mail alone, for its recipient.
    pub code: Option<String>,
    pub email: String,
    pub company_id: i64,
    pub company_name: String,
    pub access: Access,
    /// `pending`, `accepted` or `revoked`; a pending one past `expires_at` is `expired`.
    pub status: String,
    pub expired: bool,
    pub expires_at: Timestamp,
    pub created_at: Timestamp,
}

/// What the invitee sees before logging in: no ids beyond what the link holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct InvitationPreview {
    pub code: String,
    pub company_name: String,
    pub email: String,
    pub access: Access,
    pub status: String,
    pub expired: bool,
    pub expires_at: Timestamp,
}

impl InvitationPreview {
    /// What the holder of `code` sees of its invitation.
    pub fn of(code: &str, i: Invitation) -> Self {
        InvitationPreview {
            code: code.trim().to_string(),
            company_name: i.company_name,
            email: i.email,
            access: i.access,
            status: i.status,
            expired: i.expired,
            expires_at: i.expires_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateInvitation {
    pub email: String,
    pub access_id: i64,
}
