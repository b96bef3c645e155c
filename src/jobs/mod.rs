//! Background work a member starts on many leads at once: a bulk change too large
//! to answer in one request, an export too large to stream while the browser
//! waits. One table and one worker on the import worker's model: claims in the
//! database, heartbeats, each batch committed with the job's position, and a job
//! broken off by a crash taken up again where it stopped.

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
pub(crate) mod queue;
#[cfg(feature = "server")]
mod read;
#[cfg(feature = "server")]
pub mod worker;

#[cfg(feature = "server")]
pub use {
    queue::Held,
    read::{file, get},
};

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum JobKind {
    /// Assigns, moves, sets or deletes many leads.
    #[serde(rename = "leads.bulk")]
    LeadsBulk,
    /// Writes the leads a filter matches as a CSV file to download.
    #[serde(rename = "leads.export")]
    LeadsExport,
}

impl JobKind {
    pub fn key(self) -> &'static str {
        match self {
            JobKind::LeadsBulk => "leads.bulk",
            JobKind::LeadsExport => "leads.export",
        }
    }

    pub fn from_key(key: &str) -> Option<JobKind> {
        [JobKind::LeadsBulk, JobKind::LeadsExport]
            .into_iter()
            .find(|k| k.key() == key)
    }
}

/// A job as its starter watches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Job {
    pub id: i64,
    pub company_id: i64,
    pub kind: JobKind,
    /// `queued`, `processing`, `completed` or `failed`.
    pub status: String,
    /// Leads the job will look at, counted when it was started.
    pub total: Option<i64>,
    /// Leads looked at so far.
    pub processed: i64,
    /// Leads changed (a bulk change) or written (an export) so far.
    pub changed: i64,
    /// Why the job failed, when it did.
    pub failure: Option<String>,
    /// Where an export's file downloads from once the job has completed.
    pub file_url: Option<String>,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

impl Job {
    pub fn is_finished(&self) -> bool {
        self.status == "completed" || self.status == "failed"
    }

    /// Progress from 0 to 100.
    pub fn percent(&self) -> i64 {
        match self.total {
            _ if self.status == "completed" => 100,
            Some(total) if total > 0 => (self.processed * 100 / total).min(100),
            _ => 0,
        }
    }
}
