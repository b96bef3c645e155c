//! Lead imports: a CSV file uploaded once, stored, and written in the background by
//! a worker in batches, each batch committed with the import's progress so that an
//! interrupted import resumes where it stopped, every row written exactly once.

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod columns;
#[cfg(feature = "server")]
mod cursor;
#[cfg(feature = "server")]
mod decimals;
#[cfg(feature = "server")]
mod format;
#[cfg(all(feature = "server", fuzzing))]
pub mod fuzzing;
#[cfg(feature = "server")]
mod read;
#[cfg(feature = "server")]
mod rows;
#[cfg(feature = "server")]
mod upload;
#[cfg(feature = "server")]
mod work;
#[cfg(feature = "server")]
pub mod worker;

#[cfg(feature = "server")]
pub use {
    columns::template,
    format::neutralize,
    read::{failed_rows, get, list, FailedRows},
    upload::Upload,
};

/// The statuses of an import, in the order it goes through them.
pub const STATUSES: [&str; 4] = ["queued", "processing", "completed", "failed"];

/// How many rows of their own an import's status shows; the failed rows' CSV has all.
pub const ERRORS_SHOWN: i64 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ImportFile {
    pub id: i64,
    pub company_id: i64,
    pub filename: String,
    /// `queued`, `processing`, `completed` or `failed`.
    pub status: String,
    /// Rows in the file, once the worker has counted them (null before).
    pub total_rows: Option<i64>,
    pub processed_rows: i64,
    pub imported_rows: i64,
    /// Rows whose normalized email or phone a lead (or an earlier row) already had.
    pub duplicate_rows: i64,
    pub failed_rows: i64,
    /// The first failed rows with their reasons (row 1 is the header).
    pub errors: Vec<RowError>,
    /// What the import noticed about the file as a whole (ignored columns, …).
    pub notes: Vec<String>,
    /// Why the whole import failed, when it did.
    pub failure: Option<String>,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

impl ImportFile {
    pub fn is_finished(&self) -> bool {
        self.status == "completed" || self.status == "failed"
    }

    /// Progress from 0 to 100; a queued file has none yet.
    pub fn percent(&self) -> i64 {
        match self.total_rows {
            _ if self.status == "completed" => 100,
            Some(total) if total > 0 => (self.processed_rows * 100 / total).min(100),
            _ => 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RowError {
    /// The row in the file as a spreadsheet numbers it (the header is row 1).
    pub row: i64,
    pub message: String,
}
