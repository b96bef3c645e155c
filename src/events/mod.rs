//! Events: every change a company's data goes through, recorded once, in the same
//! transaction as the change, and never altered. A lead's history, the audit log
//! and webhooks all read them.

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod read;
#[cfg(feature = "server")]
mod record;

#[cfg(feature = "server")]
pub use read::{export, for_lead, list, EventsCsv};
#[cfg(feature = "server")]
pub(crate) use record::{record, record_leads_created, record_many, NewEvent};

/// The way in a change came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Door {
    /// The pages, as a signed-in person uses them.
    Page,
    /// `/api/v1`, with a JWT, a customer key or a platform token.
    Api,
    /// An import's worker, writing the rows of an uploaded file.
    Import,
    /// The server's command line.
    Cli,
}

impl Door {
    pub fn key(self) -> &'static str {
        match self {
            Door::Page => "page",
            Door::Api => "api",
            Door::Import => "import",
            Door::Cli => "cli",
        }
    }

    pub fn from_key(key: &str) -> Option<Door> {
        [Door::Page, Door::Api, Door::Import, Door::Cli]
            .into_iter()
            .find(|d| d.key() == key)
    }
}

/// What kind of caller made a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    User,
    ApiKey,
    Platform,
    Import,
    Operator,
}

impl ActorKind {
    pub fn key(self) -> &'static str {
        match self {
            ActorKind::User => "user",
            ActorKind::ApiKey => "api_key",
            ActorKind::Platform => "platform",
            ActorKind::Import => "import",
            ActorKind::Operator => "operator",
        }
    }

    pub fn from_key(key: &str) -> Option<ActorKind> {
        [
            ActorKind::User,
            ActorKind::ApiKey,
            ActorKind::Platform,
            ActorKind::Import,
            ActorKind::Operator,
        ]
        .into_iter()
        .find(|k| k.key() == key)
    }
}

/// Who made a change and through which door, as its event keeps it: the user
/// acting (for a key or an import, the one who holds or started it), and the key,
/// token or import they acted through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct By {
    pub kind: ActorKind,
    pub user_id: Option<i64>,
    /// The customer key's, platform token's or import's id.
    pub ref_id: Option<i64>,
    pub door: Door,
}

impl By {
    /// An import's worker writing the rows `user_id` uploaded.
    pub fn import(import_id: i64, user_id: Option<i64>) -> By {
        By {
            kind: ActorKind::Import,
            user_id,
            ref_id: Some(import_id),
            door: Door::Import,
        }
    }

    /// A signed-in user acting on their own account (accepting an invitation).
    pub fn user(user_id: i64, door: Door) -> By {
        By {
            kind: ActorKind::User,
            user_id: Some(user_id),
            ref_id: None,
            door,
        }
    }

    /// A partner's platform token (onboarding a company, making its keys).
    pub fn platform(token_id: i64) -> By {
        By {
            kind: ActorKind::Platform,
            user_id: None,
            ref_id: Some(token_id),
            door: Door::Api,
        }
    }

    /// The server itself (demo data, a command-line tool).
    pub fn operator() -> By {
        By {
            kind: ActorKind::Operator,
            user_id: None,
            ref_id: None,
            door: Door::Cli,
        }
    }
}

/// Named `<resource>.<verb>`, as webhooks deliver them. A lead's update is one event
/// whose kind is its most telling change: the stage, else the assignee, else
/// `lead.updated`; subscribers to `lead.updated` hear all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum Kind {
    #[serde(rename = "lead.created")]
    LeadCreated,
    #[serde(rename = "lead.updated")]
    LeadUpdated,
    #[serde(rename = "lead.stage_changed")]
    LeadStageChanged,
    #[serde(rename = "lead.assigned")]
    LeadAssigned,
    #[serde(rename = "lead.merged")]
    LeadMerged,
    #[serde(rename = "lead.merge_undone")]
    LeadMergeUndone,
    #[serde(rename = "lead.deleted")]
    LeadDeleted,
    #[serde(rename = "note.created")]
    NoteCreated,
    #[serde(rename = "note.deleted")]
    NoteDeleted,
    #[serde(rename = "appointment.booked")]
    AppointmentBooked,
    #[serde(rename = "import.started")]
    ImportStarted,
    #[serde(rename = "import.completed")]
    ImportCompleted,
    #[serde(rename = "import.failed")]
    ImportFailed,
    #[serde(rename = "source.created")]
    SourceCreated,
    #[serde(rename = "source.updated")]
    SourceUpdated,
    #[serde(rename = "source.deleted")]
    SourceDeleted,
    #[serde(rename = "source.reordered")]
    SourcesReordered,
    #[serde(rename = "territory.created")]
    TerritoryCreated,
    #[serde(rename = "territory.deleted")]
    TerritoryDeleted,
    #[serde(rename = "question.created")]
    QuestionCreated,
    #[serde(rename = "question.updated")]
    QuestionUpdated,
    #[serde(rename = "question.deleted")]
    QuestionDeleted,
    #[serde(rename = "question.reordered")]
    QuestionsReordered,
    #[serde(rename = "member.added")]
    MemberAdded,
    #[serde(rename = "member.updated")]
    MemberUpdated,
    #[serde(rename = "member.removed")]
    MemberRemoved,
    #[serde(rename = "invitation.created")]
    InvitationCreated,
    #[serde(rename = "invitation.revoked")]
    InvitationRevoked,
    #[serde(rename = "invitation.accepted")]
    InvitationAccepted,
    #[serde(rename = "plan.changed")]
    PlanChanged,
    #[serde(rename = "plan.cancelled")]
    PlanCancelled,
    #[serde(rename = "company.created")]
    CompanyCreated,
    #[serde(rename = "company.updated")]
    CompanyUpdated,
    #[serde(rename = "cycle.created")]
    CycleCreated,
    #[serde(rename = "campaign.created")]
    CampaignCreated,
    #[serde(rename = "campaign.updated")]
    CampaignUpdated,
    #[serde(rename = "api_key.created")]
    ApiKeyCreated,
    #[serde(rename = "api_key.revoked")]
    ApiKeyRevoked,
    #[serde(rename = "webhook.created")]
    WebhookCreated,
    #[serde(rename = "webhook.updated")]
    WebhookUpdated,
    #[serde(rename = "webhook.deleted")]
    WebhookDeleted,
    #[serde(rename = "webhook.secret_rotated")]
    WebhookSecretRotated,
    #[serde(rename = "view.created")]
    ViewCreated,
    #[serde(rename = "view.deleted")]
    ViewDeleted,
}

impl Kind {
    pub const ALL: [Kind; 44] = [
        Kind::LeadCreated,
        Kind::LeadUpdated,
        Kind::LeadStageChanged,
        Kind::LeadAssigned,
        Kind::LeadMerged,
        Kind::LeadMergeUndone,
        Kind::LeadDeleted,
        Kind::NoteCreated,
        Kind::NoteDeleted,
        Kind::AppointmentBooked,
        Kind::ImportStarted,
        Kind::ImportCompleted,
        Kind::ImportFailed,
        Kind::SourceCreated,
        Kind::SourceUpdated,
        Kind::SourceDeleted,
        Kind::SourcesReordered,
        Kind::TerritoryCreated,
        Kind::TerritoryDeleted,
        Kind::QuestionCreated,
        Kind::QuestionUpdated,
        Kind::QuestionDeleted,
        Kind::QuestionsReordered,
        Kind::MemberAdded,
        Kind::MemberUpdated,
        Kind::MemberRemoved,
        Kind::InvitationCreated,
        Kind::InvitationRevoked,
        Kind::InvitationAccepted,
        Kind::PlanChanged,
        Kind::PlanCancelled,
        Kind::CompanyCreated,
        Kind::CompanyUpdated,
        Kind::CycleCreated,
        Kind::CampaignCreated,
        Kind::CampaignUpdated,
        Kind::ApiKeyCreated,
        Kind::ApiKeyRevoked,
        Kind::WebhookCreated,
        Kind::WebhookUpdated,
        Kind::WebhookDeleted,
        Kind::WebhookSecretRotated,
        Kind::ViewCreated,
        Kind::ViewDeleted,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Kind::LeadCreated => "lead.created",
            Kind::LeadUpdated => "lead.updated",
            Kind::LeadStageChanged => "lead.stage_changed",
            Kind::LeadAssigned => "lead.assigned",
            Kind::LeadMerged => "lead.merged",
            Kind::LeadMergeUndone => "lead.merge_undone",
            Kind::LeadDeleted => "lead.deleted",
            Kind::NoteCreated => "note.created",
            Kind::NoteDeleted => "note.deleted",
            Kind::AppointmentBooked => "appointment.booked",
            Kind::ImportStarted => "import.started",
            Kind::ImportCompleted => "import.completed",
            Kind::ImportFailed => "import.failed",
            Kind::SourceCreated => "source.created",
            Kind::SourceUpdated => "source.updated",
            Kind::SourceDeleted => "source.deleted",
            Kind::SourcesReordered => "source.reordered",
            Kind::TerritoryCreated => "territory.created",
            Kind::TerritoryDeleted => "territory.deleted",
            Kind::QuestionCreated => "question.created",
            Kind::QuestionUpdated => "question.updated",
            Kind::QuestionDeleted => "question.deleted",
            Kind::QuestionsReordered => "question.reordered",
            Kind::MemberAdded => "member.added",
            Kind::MemberUpdated => "member.updated",
            Kind::MemberRemoved => "member.removed",
            Kind::InvitationCreated => "invitation.created",
            Kind::InvitationRevoked => "invitation.revoked",
            Kind::InvitationAccepted => "invitation.accepted",
            Kind::PlanChanged => "plan.changed",
            Kind::PlanCancelled => "plan.cancelled",
            Kind::CompanyCreated => "company.created",
            Kind::CompanyUpdated => "company.updated",
            Kind::CycleCreated => "cycle.created",
            Kind::CampaignCreated => "campaign.created",
            Kind::CampaignUpdated => "campaign.updated",
            Kind::ApiKeyCreated => "api_key.created",
            Kind::ApiKeyRevoked => "api_key.revoked",
            Kind::WebhookCreated => "webhook.created",
            Kind::WebhookUpdated => "webhook.updated",
            Kind::WebhookDeleted => "webhook.deleted",
            Kind::WebhookSecretRotated => "webhook.secret_rotated",
            Kind::ViewCreated => "view.created",
            Kind::ViewDeleted => "view.deleted",
        }
    }

    pub fn from_key(key: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// A field's value before and after an update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Change {
    /// Any JSON value: text, a number, null, or the answers' object.
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

/// One recorded change, as the history, the audit log and the API show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: i64,
    pub company_id: i64,
    #[serde(rename = "type")]
    pub kind: Kind,
    pub lead_id: Option<i64>,
    pub subject_id: Option<i64>,
    pub by: By,
    /// The acting user's name, for pages.
    pub by_name: Option<String>,
    /// The object as the API showed it once changed.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub data: serde_json::Value,
    /// For an update, each changed field's before and after.
    pub changes: std::collections::BTreeMap<String, Change>,
    pub created_at: Timestamp,
}

/// Who, what, which lead and when the audit log is narrowed to. Every filter is
/// optional; `from` and `to` bound the time, both included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct EventFilter {
    pub actor_user_id: Option<i64>,
    pub kind: Option<Kind>,
    pub lead_id: Option<i64>,
    #[cfg_attr(feature = "server", param(value_type = Option<String>, format = DateTime))]
    pub from: Option<Timestamp>,
    #[cfg_attr(feature = "server", param(value_type = Option<String>, format = DateTime))]
    pub to: Option<Timestamp>,
}
