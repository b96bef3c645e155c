//! The onboarding a new user walks through: profile, company, terms, plan, finish.
//! Progress is derived from what the user has done, so it resumes by itself.

use crate::{companies::Company, legal::LegalTerm, time::Timestamp, users::User};
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod ops;
#[cfg(feature = "server")]
pub use ops::{approve_terms, finish, progress, save_profile, status};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TermsStatus {
    pub id: i64,
    pub version: String,
    pub signed: bool,
    pub signed_at: Option<Timestamp>,
    /// Whether this is the newest published version.
    pub latest_version: bool,
}

/// The published shape of the contract's example, field for field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UserOnboarding {
    pub id: i64,
    pub onboarding_completed: bool,
    pub onboarding_completed_at: Option<Timestamp>,
    pub terms_and_conditions: TermsStatus,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FinishOnboarding {
    pub onboarding_completed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApproveTerms {
    pub legal_term_id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Profile {
    pub first_name: String,
    pub last_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Profile,
    Company,
    Terms,
    Plan,
    /// Optional: the admin may invite teammates, or go on without.
    Team,
    Finish,
    Done,
}

impl Step {
    pub const WIZARD: [Step; 6] = [
        Step::Profile,
        Step::Company,
        Step::Terms,
        Step::Plan,
        Step::Team,
        Step::Finish,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Step::Profile => "Your profile",
            Step::Company => "Your company",
            Step::Terms => "Terms of service",
            Step::Plan => "Choose a plan",
            Step::Team => "Your team",
            Step::Finish => "All set",
            Step::Done => "Done",
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            Step::Profile => "/onboarding/profile",
            Step::Company => "/onboarding/company",
            Step::Terms => "/onboarding/terms",
            Step::Plan => "/onboarding/plan",
            Step::Team => "/onboarding/team",
            Step::Finish => "/onboarding/finish",
            Step::Done => "/",
        }
    }
}

/// Where a signed-in user stands, for the wizard and the page guards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub user: User,
    pub company: Option<Company>,
    /// Whether the user administers `company` (only admins pick its plan).
    pub company_admin: bool,
    pub current_terms: LegalTerm,
    pub terms_signed: bool,
    /// The first step not done yet; `Done` once onboarding is finished and the
    /// newest terms are signed.
    pub step: Step,
}

impl Progress {
    /// A finished user whose terms went out of date must sign again before going on.
    pub fn must_resign_terms(&self) -> bool {
        self.user.onboarding_completed && !self.terms_signed
    }

    /// The steps this user goes through: only an admin picks the plan and invites
    /// the team; someone who joined a company skips both.
    pub fn wizard(&self) -> Vec<Step> {
        let joined = self.company.is_some() && !self.company_admin;
        Step::WIZARD
            .into_iter()
            .filter(|s| !(joined && matches!(s, Step::Plan | Step::Team)))
            .collect()
    }

    pub fn is_done(&self, step: Step) -> bool {
        step < self.step
    }
}
