//! Receiving an import file: checked for its size and for being CSV with lead
//! columns while it streams into storage; queued only once all of it is there, so a
//! refused file writes nothing.

use super::columns::Header;
use super::format::{sniff, SNIFF_BYTES};
use super::ImportFile;
use crate::actor::{Member, Role};
use crate::events::{self, Kind, NewEvent};
use crate::storage::Staged;
use crate::{questions, secret, time::Timestamp, Ctx, Error, Result};

pub struct Upload {
    ctx: Ctx,
    me: Member,
    filename: String,
    key: String,
    staged: Staged,
    size: u64,
    prefix: Vec<u8>,
}

impl Upload {
    /// Checks the caller may import (managers and admins) before a byte is stored.
    pub async fn begin(ctx: &Ctx, me: &Member, filename: &str) -> Result<Upload> {
        let company_id = me.company_id();
        me.require(Role::Manager)?;
        let filename = display_name(filename);
        let key = format!("imports/{company_id}/{}.csv", &secret::generate("")[..24]);
        let staged = ctx.storage.create_staged(&key)?;
        Ok(Upload {
            ctx: ctx.clone(),
            me: me.clone(),
            filename,
            key,
            staged,
            size: 0,
            prefix: Vec::new(),
        })
    }

    pub async fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.size += chunk.len() as u64;
        let max = self.ctx.settings.max_import_bytes;
        if self.size > max {
            return Err(Error::TooLarge(format!(
                "the file must be at most {} MB",
                max / (1024 * 1024)
            )));
        }
        if self.prefix.len() < SNIFF_BYTES {
            let take = (SNIFF_BYTES - self.prefix.len()).min(chunk.len());
            self.prefix.extend_from_slice(&chunk[..take]);
        }
        self.staged.write(chunk).await
    }

    /// Checks the file's start, stores it under its key and queues the import.
    pub async fn finish(self) -> Result<ImportFile> {
        let complete = self.size as usize <= SNIFF_BYTES;
        let format = sniff(&self.prefix, complete).map_err(|m| Error::field("file", &m))?;
        let names = header_names(&self.prefix[format.data_start as usize..], format.delimiter)
            .map_err(|m| Error::field("file", &m))?;
        let questions = questions::list(&self.ctx, &self.me).await?;
        let header =
            Header::match_names(&names, &questions).map_err(|m| Error::field("file", &m))?;
        self.staged.commit().await?;
        let mut tx = self.ctx.db.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO import_files (company_id, created_by_user_id, filename, storage_key, byte_size, \
             status, header, notes, created_at) VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7, $8) RETURNING id",
        )
        .bind(self.me.company_id())
        .bind(self.me.user_id())
        .bind(&self.filename)
        .bind(&self.key)
        .bind(self.size as i64)
        .bind(serde_json::to_string(&names).map_err(Error::internal)?)
        .bind(serde_json::to_string(&header.notes).map_err(Error::internal)?)
        .bind(Timestamp::now().0)
        .fetch_one(&mut *tx)
        .await?;
        let import = super::read::fetch_on(&mut tx, self.me.company_id(), id).await?;
        let event = NewEvent::about_import(Kind::ImportStarted, &import);
        events::record(&mut tx, self.me.company_id(), &self.me.by(&self.ctx), event).await?;
        tx.commit().await?;
        self.ctx.import_queued.notify_one();
        Ok(import)
    }
}

/// The header's cells, read from the file's start.
pub(super) fn header_names(text: &[u8], delimiter: u8) -> std::result::Result<Vec<String>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text);
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => Ok(record
            .iter()
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect()),
        _ => Err("has no header row".into()),
    }
}

/// The name shown in the import history: the file's own name without any folder.
fn display_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    match base.chars().count() {
        0 => "import.csv".into(),
        n if n > 200 => base.chars().take(200).collect(),
        _ => base.into(),
    }
}
