//! Running a bulk change: at once for a small selection, else as a job whose
//! batches each commit their leads' changes, their events and the job's new
//! position together, so a job resumed after a crash changes each lead once.

use super::plan::{Action, Plan};
use super::{BulkChange, BulkOutcome, INLINE_MAX};
use crate::actor::{Member, Role};
use crate::db::Tx;
use crate::events::By;
use crate::jobs::{self, worker::Ended, Held, JobKind};
use crate::leads::write::many::{change_many, delete_many};
use crate::{Ctx, Error, Result};

/// Leads per batch of a job: a thousand leads' events fit one statement.
const BATCH: usize = 1_000;

/// Changes the leads `input` chooses (managers).
#[tracing::instrument(skip(ctx, me, input), fields(company_id = me.company_id(), action = ?input.action))]
pub async fn bulk_change(ctx: &Ctx, me: &Member, input: BulkChange) -> Result<BulkOutcome> {
    me.require(Role::Manager)?;
    let plan = Plan::check(ctx, me, input).await?;
    let total = plan.count(ctx, me).await?;
    if total > INLINE_MAX {
        let job = jobs::queue::start(ctx, me, JobKind::LeadsBulk, &plan, total).await?;
        return Ok(BulkOutcome::Job(job));
    }
    let mut tx = ctx.db.begin().await?;
    // A write first: on SQLite it takes the database's write lock for the batch.
    crate::memberships::lock_company(&mut tx, me.company_id()).await?;
    let by = me.by(ctx);
    let mut after = (0, 0);
    let mut updated = 0;
    loop {
        let batch = plan.next_batch(&mut tx, me, after, BATCH).await?;
        let Some(last) = batch.last else { break };
        updated += apply(&mut tx, &by, me.company_id(), &plan.action, batch.leads).await?;
        after = last;
    }
    tx.commit().await?;
    Ok(BulkOutcome::Updated(updated as i64))
}

/// Runs a held bulk job from where it stopped to its end. Each batch asks again
/// whether its starter may still do this: a manager demoted or removed meanwhile,
/// or whose key was revoked, stops the job there.
pub(crate) async fn resume(ctx: &Ctx, held: &Held) -> Result<Ended> {
    let plan: Plan = serde_json::from_str(&held.spec).map_err(Error::internal)?;
    let mut after = held.resume_after;
    loop {
        if ctx.stop.asked() {
            return Ok(Ended::Stopped);
        }
        let me = held.member(ctx).await?;
        me.require(Role::Manager)?;
        plan.action.check_references(ctx, &me).await?;
        let mut tx = ctx.db.begin().await?;
        if !held.still_mine(&mut tx).await? {
            tx.rollback().await?;
            return Ok(Ended::TakenOver);
        }
        let batch = plan.next_batch(&mut tx, &me, after, BATCH).await?;
        let Some(last) = batch.last else {
            tx.commit().await?;
            let ended = held.finish(ctx, None, None).await?;
            return Ok(if ended { Ended::Done } else { Ended::TakenOver });
        };
        let changed = apply(
            &mut tx,
            &held.by,
            me.company_id(),
            &plan.action,
            batch.leads,
        )
        .await?;
        held.advance(&mut tx, batch.looked_at, changed as i64, last)
            .await?;
        tx.commit().await?;
        after = last;
    }
}

async fn apply(
    tx: &mut Tx<'_>,
    by: &By,
    company_id: i64,
    action: &Action,
    leads: Vec<crate::leads::Lead>,
) -> Result<u64> {
    match action {
        Action::Delete => delete_many(tx, by, company_id, &leads).await,
        _ => {
            let drafts = action.drafts(tx, company_id, leads).await?;
            change_many(tx, by, company_id, drafts).await
        }
    }
}
