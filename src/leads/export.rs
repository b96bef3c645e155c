//! The leads a filter matches as CSV: every field, the stage by its key and names
//! for the rest (so the file imports back as it is), and a column per question.

use super::row::{LeadRow, SELECT};
use super::scope::Scope;
use super::{Lead, LeadFilter};
use crate::actor::Member;
use crate::imports::neutralize;
use crate::questions::Question;
use crate::{cycles, questions, stages, Ctx, Error, Result};
use serde_json::Value;
use std::collections::HashMap;

/// Leads read per query: memory holds one page whatever the export's size.
const PAGE: i64 = 1_000;

/// The export's columns before the questions'. The first ten are the import's.
const FIELDS: [&str; 15] = [
    "first_name",
    "last_name",
    "company_name",
    "email",
    "phone",
    "postal_code",
    "value",
    "stage",
    "source",
    "campaign",
    "id",
    "cycle",
    "assignee",
    "created_at",
    "updated_at",
];

/// An export being written, newest lead first, a page per chunk. Cells a
/// spreadsheet would run as formulas are neutralized (the import undoes it).
pub struct LeadsCsv {
    ctx: Ctx,
    scope: Scope,
    questions: Vec<Question>,
    stages: HashMap<i64, String>,
    cycles: HashMap<i64, String>,
    header: bool,
    written: i64,
    /// `(created_at, id)` of the last lead written; the next page starts below it.
    /// `None` once every lead is written.
    after: Option<(i64, i64)>,
}

/// Any member may export what they can see: a sales rep, their own leads.
#[tracing::instrument(skip(ctx, me), fields(company_id = me.company_id()))]
pub async fn export(ctx: &Ctx, me: &Member, filter: &LeadFilter) -> Result<LeadsCsv> {
    let stages = stages::all(ctx).await?;
    let cycles = cycles::list(ctx, me).await?;
    Ok(LeadsCsv {
        ctx: ctx.clone(),
        scope: Scope::new(ctx.db.backend, me, filter),
        questions: questions::list(ctx, me).await?,
        stages: stages.into_iter().map(|s| (s.id, s.key)).collect(),
        cycles: cycles.into_iter().map(|c| (c.id, c.name)).collect(),
        header: true,
        written: 0,
        after: Some((i64::MAX, i64::MAX)),
    })
}

impl LeadsCsv {
    /// The CSV's next bytes: the header row first, then a page of leads; `None`
    /// at the end.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>> {
        let mut out = csv::Writer::from_writer(Vec::new());
        if std::mem::take(&mut self.header) {
            let questions = self.questions.iter().map(|q| neutralize(&q.text));
            let names = FIELDS.iter().map(|f| f.to_string()).chain(questions);
            out.write_record(names).map_err(Error::internal)?;
            return out.into_inner().map(Some).map_err(Error::internal);
        }
        let Some((created_at, id)) = self.after else {
            return Ok(None);
        };
        let n = self.scope.binds.len();
        // A row value: PostgreSQL reads it as a range of the company's index, where
        // the same test spelt with OR had every page filter the leads before it.
        let sql = format!(
            "{SELECT}{} WHERE {} AND (l.created_at, l.id) < (${a}, ${b}) \
             ORDER BY l.created_at DESC, l.id DESC LIMIT ${c}",
            self.scope.join,
            self.scope.sql,
            a = n + 1,
            b = n + 2,
            c = n + 3,
        );
        let rows: Vec<LeadRow> = self
            .scope
            .bind_all(sqlx::query_as(&sql))
            .bind(created_at)
            .bind(id)
            .bind(PAGE)
            .fetch_all(&self.ctx.db.pool)
            .await?;
        if rows.is_empty() {
            self.after = None;
            return Ok(None);
        }
        let full = rows.len() as i64 == PAGE;
        for row in rows {
            let lead = row.into_lead();
            self.after = full.then_some((lead.created_at.0, lead.id));
            self.written += 1;
            out.write_record(self.record(lead))
                .map_err(Error::internal)?;
        }
        out.into_inner().map(Some).map_err(Error::internal)
    }

    /// Leads written so far.
    pub fn written(&self) -> i64 {
        self.written
    }

    fn record(&self, l: Lead) -> Vec<String> {
        let text = |v: Option<String>| neutralize(&v.unwrap_or_default());
        let name = |names: &HashMap<i64, String>, id: Option<i64>| {
            neutralize(id.and_then(|id| names.get(&id)).map_or("", |n| n))
        };
        let mut cells = vec![
            neutralize(&l.first_name),
            neutralize(&l.last_name),
            neutralize(&l.company_name),
            text(l.email),
            text(l.phone),
            text(l.postal_code),
            format!("{}.{:02}", l.value_cents / 100, l.value_cents % 100),
            name(&self.stages, Some(l.stage_id)),
            text(l.source_name),
            text(l.campaign_name),
            l.id.to_string(),
            name(&self.cycles, l.cycle_id),
            text(l.assignee_name),
            l.created_at.rfc3339(),
            l.updated_at.rfc3339(),
        ];
        cells.extend(self.questions.iter().map(|q| {
            let answer = match l.answers.get(&q.id.to_string()) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(Value::Array(choices)) => choices
                    .iter()
                    .map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(";"),
                Some(other) => other.to_string(),
            };
            neutralize(&answer)
        }));
        cells
    }
}
