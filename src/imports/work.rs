//! Writing one claimed import. The file is read a batch at a time on a blocking
//! thread; each batch's leads, failed rows and the import's new position commit in
//! one transaction, so a crash between batches loses nothing and repeats nothing.

use super::columns::Header;
use super::cursor::{Batch, Cursor, Record};
use super::decimals::DecimalMark;
use super::rows::{candidate, Candidate, Lookups};
use crate::db::{sql, Conn};
use crate::events::{self, By, Kind, NewEvent};
use crate::leads::bulk::{insert_placed, PlacedLead};
use crate::leads::routing;
use crate::time::{Day, Timestamp};
use crate::{cycles, memberships, questions, Actor, Ctx, Error, Result};
use std::collections::HashSet;
use std::sync::Arc;

pub enum Ended {
    Done,
    /// Another worker claimed the import (this one was thought dead).
    TakenOver,
    /// The process is stopping: what was written is committed, the rest waits.
    Stopped,
    /// The file is on another instance's disk: that instance reads it.
    Unreadable,
}

#[derive(sqlx::FromRow)]
struct Job {
    company_id: i64,
    created_by_user_id: Option<i64>,
    storage_key: String,
    total_rows: Option<i64>,
    resume_offset: i64,
    resume_row: i64,
    header: String,
}

pub async fn process(ctx: &Ctx, instance: &str, import_id: i64) -> Result<Ended> {
    let job: Job = sqlx::query_as(
        "SELECT company_id, created_by_user_id, storage_key, total_rows, resume_offset, resume_row, header \
         FROM import_files WHERE id = $1",
    )
    .bind(import_id)
    .fetch_one(&ctx.db.pool)
    .await?;
    let company_id = job.company_id;
    let by = By::import(import_id, job.created_by_user_id);
    let blob = match ctx.storage.blob(&job.storage_key).await {
        Err(Error::NotFound(_)) if !ctx.storage.is_shared() => return Ok(Ended::Unreadable),
        blob => blob?,
    };
    let names: Vec<String> = serde_json::from_str(&job.header).map_err(Error::internal)?;
    let questions = questions::all(ctx, company_id).await?;
    let header = Header::match_names(&names, &questions).map_err(|m| Error::field("file", &m))?;
    let lookups = Lookups::load(ctx, company_id, questions).await?;
    let count = job.total_rows.is_none();
    let (cursor, total) =
        blocking(move || Cursor::open(blob, count, job.resume_offset as u64, job.resume_row))
            .await?;
    if let Some(total) = total {
        sqlx::query(
            "UPDATE import_files SET total_rows = $1, heartbeat_at = $4 WHERE id = $2 AND claimed_by = $3",
        )
        .bind(total)
        .bind(import_id)
        .bind(instance)
        .bind(Timestamp::now().0)
        .execute(&ctx.db.pool)
        .await?;
    }
    let size = ctx.settings.import_batch_rows;
    let rules = Arc::new(Rules {
        decimal: DecimalMark::of_delimiter(cursor.format.delimiter),
        header,
        lookups,
    });
    // The next batch is read and checked on a blocking thread while this one is
    // written: only what a batch's transaction committed counts, so a read ahead
    // that is never written costs nothing but its reading.
    let read = |mut cursor: Cursor, rules: Arc<Rules>| {
        tokio::spawn(blocking(move || {
            let checked = rules.check(cursor.next_batch(size)?);
            Ok((cursor, checked))
        }))
    };
    let mut next = read(cursor, rules.clone());
    loop {
        if ctx.stop.asked() {
            return Ok(Ended::Stopped);
        }
        let (cursor, checked) = (&mut next).await.map_err(Error::internal)??;
        let end = checked.batch.end;
        if !end {
            next = read(cursor, rules.clone());
        }
        let work = Work {
            ctx,
            instance,
            import_id,
            company_id,
            by: &by,
        };
        if !work.write(checked).await? {
            return Ok(Ended::TakenOver);
        }
        if end {
            return finish(ctx, instance, import_id).await;
        }
    }
}

/// How a file's rows become leads: its columns, the company's names for stages,
/// sources and questions, and its decimal mark.
struct Rules {
    header: Header,
    lookups: Lookups,
    decimal: DecimalMark,
}

/// A batch with each row checked: the rows that make leads and the ones that
/// fail, by their place in `batch.records`.
struct Checked {
    batch: Batch,
    fit: Vec<(usize, Candidate)>,
    failed: Vec<(usize, String)>,
}

impl Rules {
    fn check(&self, batch: Batch) -> Checked {
        let mut fit = Vec::with_capacity(batch.records.len());
        let mut failed = Vec::new();
        for (i, r) in batch.records.iter().enumerate() {
            if r.garbled {
                failed.push((i, "is not valid UTF-8 text".into()));
                continue;
            }
            // PostgreSQL keeps no NUL in text: the row fails, on both databases alike,
            // rather than the batch.
            if r.cells.iter().any(|c| c.contains('\0')) {
                failed.push((i, "holds a NUL character, which text cannot".into()));
                continue;
            }
            let cells: Vec<&str> = r.cells.iter().map(String::as_str).collect();
            match candidate(&cells, &self.header, &self.lookups, self.decimal) {
                Ok(c) => fit.push((i, c)),
                Err(m) => failed.push((i, m)),
            }
        }
        Checked { batch, fit, failed }
    }
}

/// Runs file work on a blocking thread.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(Error::internal)?
}

struct Work<'a> {
    ctx: &'a Ctx,
    instance: &'a str,
    import_id: i64,
    company_id: i64,
    by: &'a By,
}

impl Work<'_> {
    /// Writes a batch and moves the import past it; false when another worker has
    /// taken the import over (then nothing is written).
    async fn write(&self, checked: Checked) -> Result<bool> {
        let now = Timestamp::now();
        let Checked { batch, fit, failed } = checked;
        let at = |i: usize| &batch.records[i];
        let mut failed: Vec<(&Record, String)> =
            failed.into_iter().map(|(i, m)| (at(i), m)).collect();
        let fit: Vec<(&Record, Candidate)> = fit.into_iter().map(|(i, c)| (at(i), c)).collect();
        let mut tx = self.ctx.db.begin_bulk().await?;
        memberships::lock_company(&mut tx, self.company_id).await?;
        let (fresh, duplicates) = self.without_duplicates(&mut tx, fit).await?;
        let (plan, room) = memberships::lead_room(&mut tx, self.company_id, now.0).await?;
        let mut fresh = fresh;
        let over = fresh.split_off(fresh.len().min(room as usize));
        for (r, _) in over {
            failed.push((
                r,
                format!("the {plan} plan's lead limit is reached; upgrade the plan to import more"),
            ));
        }
        let routes: Vec<(Option<&str>, Option<i64>)> = fresh
            .iter()
            .map(|(_, c)| (c.fields.postal_code.as_deref(), c.source_id))
            .collect();
        let assignees = routing::assign_many(&mut tx, self.company_id, &routes).await?;
        let cycle_id = cycles::current(&mut tx, self.company_id, &Day::of(now)).await?;
        let imported = fresh.len() as i64;
        let placed: Vec<PlacedLead> = fresh
            .into_iter()
            .zip(assignees)
            .map(|((_, c), assignee)| PlacedLead {
                fields: c.fields,
                stage_id: c.stage_id,
                source_id: c.source_id,
                campaign_id: c.campaign_id,
                cycle_id,
                assigned_user_access_id: assignee,
                answers: c.answers,
                created_at: now,
            })
            .collect();
        insert_placed(&mut tx, &Actor::Operator, self.by, self.company_id, &placed).await?;
        failed.sort_by_key(|(r, _)| r.row);
        for chunk in failed.chunks(500) {
            self.record_failures(&mut tx, chunk).await?;
        }
        let moved = tx
            .execute(
                sql("UPDATE import_files SET processed_rows = processed_rows + $1, imported_rows = imported_rows + $2, \
                     duplicate_rows = duplicate_rows + $3, failed_rows = failed_rows + $4, resume_offset = $5, \
                     resume_row = $6, heartbeat_at = $7 WHERE id = $8 AND claimed_by = $9 AND status = 'processing'")
                .bind(batch.records.len() as i64)
                .bind(imported)
                .bind(duplicates)
                .bind(failed.len() as i64)
                .bind(batch.offset as i64)
                .bind(batch.row)
                .bind(now.0)
                .bind(self.import_id)
                .bind(self.instance),
            )
            .await?;
        if moved == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        tx.commit().await?;
        for (outcome, rows) in [
            ("imported", imported),
            ("duplicate", duplicates),
            ("failed", failed.len() as i64),
        ] {
            metrics::counter!("leadsy_import_rows_total", "outcome" => outcome)
                .increment(rows as u64);
        }
        Ok(true)
    }

    /// Leaves out rows whose normalized email or phone a lead of the company, or an
    /// earlier row, already has; returns the rest and how many were left out.
    async fn without_duplicates<'r>(
        &self,
        tx: &mut impl Conn,
        rows: Vec<(&'r Record, Candidate)>,
    ) -> Result<(Vec<(&'r Record, Candidate)>, i64)> {
        let emails: Vec<String> = rows
            .iter()
            .filter_map(|(_, c)| c.fields.email_key())
            .collect();
        let phones: Vec<String> = rows
            .iter()
            .filter_map(|(_, c)| c.fields.phone_key())
            .collect();
        let mut seen_emails = self.existing(tx, "email_key", &emails).await?;
        let mut seen_phones = self.existing(tx, "phone_key", &phones).await?;
        let mut fresh = Vec::with_capacity(rows.len());
        let mut duplicates = 0;
        for (r, c) in rows {
            let (email, phone) = (c.fields.email_key(), c.fields.phone_key());
            let seen = email.as_ref().is_some_and(|e| seen_emails.contains(e))
                || phone.as_ref().is_some_and(|p| seen_phones.contains(p));
            if seen {
                duplicates += 1;
                continue;
            }
            seen_emails.extend(email);
            seen_phones.extend(phone);
            fresh.push((r, c));
        }
        Ok((fresh, duplicates))
    }

    async fn existing(
        &self,
        tx: &mut impl Conn,
        column: &str,
        keys: &[String],
    ) -> Result<HashSet<String>> {
        if keys.is_empty() {
            return Ok(HashSet::new());
        }
        // One probe of the company's index per key. An `IN` list let PostgreSQL,
        // with statistics from before the import grew the table, scan every lead
        // of the company instead; planned afresh each time for the same reason.
        let q = sql(format!(
            "SELECT keys.value FROM {} WHERE EXISTS \
             (SELECT 1 FROM leads l WHERE l.company_id = $1 AND l.{column} = keys.value)",
            tx.backend().json_strings("$2")
        ));
        let found: Vec<String> = tx
            .scalars(
                q.once()
                    .bind(self.company_id)
                    .bind(serde_json::to_string(keys).map_err(Error::internal)?),
            )
            .await?;
        Ok(found.into_iter().collect())
    }

    async fn record_failures(&self, tx: &mut impl Conn, rows: &[(&Record, String)]) -> Result<()> {
        let mut q = sql(format!(
            "INSERT INTO import_errors (import_file_id, row_number, message, cells) VALUES {}",
            tx.backend().value_rows(rows.len(), 4)
        ));
        for (r, message) in rows {
            q = q
                .bind(self.import_id)
                .bind(r.row)
                .bind(message.clone())
                .bind(serde_json::to_string(&r.cells).map_err(Error::internal)?);
        }
        tx.execute(q).await?;
        Ok(())
    }
}

async fn finish(ctx: &Ctx, instance: &str, import_id: i64) -> Result<Ended> {
    let ended = end(ctx, instance, import_id, None).await?;
    Ok(if ended { Ended::Done } else { Ended::TakenOver })
}

/// Gives up on an import that cannot go on (its file is gone or unreadable); the
/// rows written so far stay.
pub async fn fail(ctx: &Ctx, instance: &str, import_id: i64, why: &str) -> Result<()> {
    end(ctx, instance, import_id, Some(why)).await?;
    Ok(())
}

/// Ends the import this worker holds, completed or (with a reason) failed, and
/// records it; false when another worker holds it.
async fn end(ctx: &Ctx, instance: &str, import_id: i64, failure: Option<&str>) -> Result<bool> {
    #[derive(sqlx::FromRow)]
    struct Holder {
        company_id: i64,
        created_by_user_id: Option<i64>,
    }
    let mut tx = ctx.db.begin().await?;
    let ended: Option<Holder> = sqlx::query_as(
        "UPDATE import_files SET status = $1, failure = $2, finished_at = $3, claimed_by = NULL \
         WHERE id = $4 AND claimed_by = $5 RETURNING company_id, created_by_user_id",
    )
    .bind(if failure.is_some() {
        "failed"
    } else {
        "completed"
    })
    .bind(failure)
    .bind(Timestamp::now().0)
    .bind(import_id)
    .bind(instance)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(Holder {
        company_id,
        created_by_user_id,
    }) = ended
    else {
        return Ok(false);
    };
    let import = super::read::fetch_on(&mut tx, company_id, import_id).await?;
    let kind = if failure.is_some() {
        Kind::ImportFailed
    } else {
        Kind::ImportCompleted
    };
    let by = By::import(import_id, created_by_user_id);
    events::record(
        &mut tx,
        company_id,
        &by,
        NewEvent::about_import(kind, &import),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
