//! A large export as a job: the same CSV as the streamed export, written to a file
//! in storage with its progress reported as it goes, to download when ready. An
//! export broken off starts again (it changes nothing); its half-written file is
//! never seen under its key.

use super::{export, scope::Scope, LeadFilter};
use crate::actor::Member;
use crate::jobs::{self, worker::Ended, Held, Job, JobKind};
use crate::{secret, Ctx, Error, Result};
use serde::{Deserialize, Serialize};

/// Starts exporting what `me` can see of `filter` as a job (any member: a sales
/// rep exports their own leads).
#[tracing::instrument(skip(ctx, me), fields(company_id = me.company_id()))]
pub async fn start_export(ctx: &Ctx, me: &Member, filter: &LeadFilter) -> Result<Job> {
    let scope = Scope::new(ctx.db.backend, me, filter);
    let total: i64 = scope
        .bind_all(sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM leads l{} WHERE {}",
            scope.join, scope.sql
        )))
        .fetch_one(&ctx.db.pool)
        .await?;
    let spec = Spec {
        filter: filter.clone(),
        whole_company: me.manages(),
    };
    jobs::queue::start(ctx, me, JobKind::LeadsExport, &spec, total).await
}

/// What an export job writes: the filter, and whether it reaches beyond one sales
/// rep's own leads (then only managers download it, whoever started it).
#[derive(Serialize, Deserialize)]
struct Spec {
    filter: LeadFilter,
    whole_company: bool,
}

/// Whether `me` may download the file of an export job with `spec`: a file of
/// the whole company's leads is a manager's, even for its starter demoted since.
pub(crate) fn may_download(spec: &str, me: &Member) -> bool {
    serde_json::from_str::<Spec>(spec).is_ok_and(|s| !s.whole_company || me.manages())
}

pub(crate) async fn resume(ctx: &Ctx, held: &Held) -> Result<Ended> {
    let spec: Spec = serde_json::from_str(&held.spec).map_err(Error::internal)?;
    let me = held.member(ctx).await?;
    if spec.whole_company && !me.manages() {
        return Err(Error::forbidden());
    }
    let mut csv = export(ctx, &me, &spec.filter).await?;
    // Unguessable, so the file's name alone leads nowhere.
    let key = format!(
        "exports/{}/{}-{}.csv",
        held.company_id(),
        held.id,
        &secret::generate("")[..16]
    );
    let mut file = ctx.storage.create_staged(&key)?;
    while let Some(chunk) = csv.next_chunk().await? {
        // A file is written whole or not at all: stopped, it starts again.
        if ctx.stop.asked() {
            return Ok(Ended::Stopped);
        }
        file.write(&chunk).await?;
        if !held.report(ctx, csv.written()).await? {
            return Ok(Ended::TakenOver);
        }
    }
    file.commit().await?;
    let ended = held.finish(ctx, Some(&key), None).await?;
    Ok(if ended { Ended::Done } else { Ended::TakenOver })
}
