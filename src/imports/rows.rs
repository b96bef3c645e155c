//! One row of an import file as a lead: its cells checked like any lead's fields,
//! stage by key, source and campaign by name, answers by their question's kind.

use super::columns::{Column, Header};
use super::decimals::DecimalMark;
use super::format::unneutralize;
use crate::error::Check;
use crate::leads::{parse_amount, CreateLead, LeadFields};
use crate::questions::Question;
use crate::{Ctx, Error, Result};
use std::collections::HashMap;

/// The company's stages, sources, campaigns and questions, looked up by what a
/// spreadsheet holds.
pub struct Lookups {
    stages: HashMap<String, i64>,
    first_stage: i64,
    sources: HashMap<String, i64>,
    campaigns: HashMap<String, i64>,
    questions: HashMap<i64, Question>,
}

impl Lookups {
    pub async fn load(ctx: &Ctx, company_id: i64, questions: Vec<Question>) -> Result<Lookups> {
        let pool = &ctx.db.pool;
        let stages: Vec<(String, i64)> =
            sqlx::query_as("SELECT key, id FROM stages ORDER BY position")
                .fetch_all(pool)
                .await?;
        let first_stage = stages
            .first()
            .map(|(_, id)| *id)
            .ok_or_else(|| Error::internal("no stages"))?;
        let named = |table: &str| format!("SELECT name, id FROM {table} WHERE company_id = $1");
        let sources: Vec<(String, i64)> = sqlx::query_as(&named("sources"))
            .bind(company_id)
            .fetch_all(pool)
            .await?;
        let campaigns: Vec<(String, i64)> = sqlx::query_as(&named("campaigns"))
            .bind(company_id)
            .fetch_all(pool)
            .await?;
        let by_name = |rows: Vec<(String, i64)>| {
            rows.into_iter()
                .map(|(name, id)| (name.to_lowercase(), id))
                .collect()
        };
        Ok(Lookups {
            stages: by_name(stages),
            first_stage,
            sources: by_name(sources),
            campaigns: by_name(campaigns),
            questions: questions.into_iter().map(|q| (q.id, q)).collect(),
        })
    }

    /// A company's lookups without a database: two stages, a source, and a
    /// number, a single-choice and a multi-choice question.
    #[cfg(any(test, fuzzing))]
    pub(super) fn sample() -> Lookups {
        let q = |id: i64, kind: &str, options: &[&str]| Question {
            id,
            company_id: 1,
            campaign_id: None,
            text: format!("q{id}"),
            kind: kind.into(),
            options: options.iter().map(|s| s.to_string()).collect(),
            priority: id,
        };
        Lookups {
            stages: [("new".to_string(), 1), ("won".to_string(), 6)].into(),
            first_stage: 1,
            sources: [("web form".to_string(), 10)].into(),
            campaigns: HashMap::new(),
            questions: [
                (1, q(1, "number", &[])),
                (2, q(2, "single_choice", &["Small", "Large"])),
                (3, q(3, "multi_choice", &["A", "B", "C"])),
            ]
            .into(),
        }
    }

    #[cfg(fuzzing)]
    pub(super) fn questions(&self) -> Vec<Question> {
        self.questions.values().cloned().collect()
    }
}

/// A row that can become a lead.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub fields: LeadFields,
    pub stage_id: i64,
    pub source_id: Option<i64>,
    pub campaign_id: Option<i64>,
    /// The answers as the leads table keeps them: JSON keyed by question id.
    pub answers: String,
}

/// The row's lead, or why it cannot be one (every reason, in one sentence).
pub fn candidate(
    cells: &[&str],
    header: &Header,
    lookups: &Lookups,
    decimal: DecimalMark,
) -> Result<Candidate, String> {
    let mut input = CreateLead::default();
    let mut check = Check::default();
    let (mut stage_id, mut answers) = (lookups.first_stage, serde_json::Map::new());
    for (column, cell) in header.columns.iter().zip(cells) {
        let cell = unneutralize(cell.trim());
        let Some(column) = column else { continue };
        let some = || Some(cell.to_string()).filter(|c| !c.is_empty());
        let named = |field: &str, map: &HashMap<String, i64>, check: &mut Check| {
            if cell.is_empty() {
                return None;
            }
            let found = map.get(&cell.to_lowercase()).copied();
            if found.is_none() {
                check.add(
                    field,
                    &format!("\"{cell}\" is not one of the company's {field}s"),
                );
            }
            found
        };
        match column {
            Column::FirstName => input.first_name = cell.to_string(),
            Column::LastName => input.last_name = cell.to_string(),
            Column::CompanyName => input.company_name = cell.to_string(),
            Column::Email => input.email = some(),
            Column::Phone => input.phone = some(),
            Column::PostalCode => input.postal_code = some(),
            Column::Value => {
                input.value_cents = check
                    .take("value", parse_amount(&decimal.plain(cell)))
                    .unwrap_or(0)
            }
            Column::Stage => {
                if let Some(id) = named("stage", &lookups.stages, &mut check) {
                    stage_id = id;
                }
            }
            Column::Source => input.source_id = named("source", &lookups.sources, &mut check),
            Column::Campaign => {
                input.campaign_id = named("campaign", &lookups.campaigns, &mut check)
            }
            Column::Question(id) => {
                let (Some(q), false) = (lookups.questions.get(id), cell.is_empty()) else {
                    continue;
                };
                match answer(q, cell, decimal) {
                    Ok(a) => {
                        answers.insert(id.to_string(), a);
                    }
                    Err(m) => check.add(&format!("answer to \"{}\"", q.text), &m),
                }
            }
        }
    }
    let fields = LeadFields::parse(&mut check, &input);
    check.finish().map_err(|e| e.to_string())?;
    Ok(Candidate {
        fields: fields.ok_or("is not a valid lead")?,
        stage_id,
        source_id: input.source_id,
        campaign_id: input.campaign_id,
        answers: serde_json::Value::Object(answers).to_string(),
    })
}

/// A cell read as its question's kind reads it (a number in the file's locale,
/// several choices separated by `|` or `;`), then held to the question's rule.
fn answer(
    q: &Question,
    cell: &str,
    decimal: DecimalMark,
) -> std::result::Result<serde_json::Value, String> {
    use serde_json::Value;
    let raw = match q.kind.as_str() {
        "number" => decimal
            .plain(cell)
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| "must be a number".to_string())?,
        "multi_choice" => Value::Array(
            cell.split(['|', ';'])
                .filter(|s| !s.trim().is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ),
        _ => Value::String(cell.to_string()),
    };
    q.check_answer(&raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(cols: &[Column]) -> Header {
        Header {
            columns: cols.iter().copied().map(Some).collect(),
            notes: vec![],
        }
    }

    #[test]
    fn a_full_row() {
        let h = header(&[
            Column::FirstName,
            Column::Email,
            Column::Stage,
            Column::Source,
            Column::Value,
            Column::Question(1),
            Column::Question(2),
            Column::Question(3),
        ]);
        let c = candidate(
            &[
                "Ada",
                " ADA@Example.com ",
                "WON",
                "Web Form",
                "1,250.50",
                "12",
                "large",
                "a; c",
            ],
            &h,
            &Lookups::sample(),
            DecimalMark::Point,
        )
        .unwrap();
        assert_eq!(c.fields.email.as_deref(), Some("ada@example.com"));
        assert_eq!(
            (c.stage_id, c.source_id, c.fields.value_cents),
            (6, Some(10), 125050)
        );
        assert_eq!(c.answers, r#"{"1":12.0,"2":"Large","3":["A","C"]}"#);
    }

    #[test]
    fn every_reason_in_one_message() {
        let h = header(&[
            Column::FirstName,
            Column::Email,
            Column::Source,
            Column::Question(2),
        ]);
        let err = candidate(
            &["Ada", "not-an-email", "Fax", "Medium"],
            &h,
            &Lookups::sample(),
            DecimalMark::Point,
        )
        .unwrap_err();
        assert!(err.contains("email"), "{err}");
        assert!(
            err.contains("\"Fax\" is not one of the company's sources"),
            "{err}"
        );
        assert!(err.contains("must be one of: Small, Large"), "{err}");
        let err = candidate(
            &["", "", "", ""],
            &h,
            &Lookups::sample(),
            DecimalMark::Point,
        )
        .unwrap_err();
        assert!(err.contains("required"), "{err}");
    }

    #[test]
    fn short_rows_and_blank_cells_are_fine() {
        let h = header(&[Column::FirstName, Column::Email, Column::Phone]);
        let c = candidate(&["Ada"], &h, &Lookups::sample(), DecimalMark::Point).unwrap();
        assert_eq!(
            (c.fields.email, c.fields.phone, c.stage_id),
            (None, None, 1)
        );
    }

    #[test]
    fn a_semicolon_file_reads_decimal_commas_and_its_own_neutralized_cells() {
        let h = header(&[
            Column::FirstName,
            Column::Phone,
            Column::Value,
            Column::Question(1),
        ]);
        let c = candidate(
            &["'=Ada", "'+44 20 7946 0958", "1.250,50", "2,5"],
            &h,
            &Lookups::sample(),
            DecimalMark::Comma,
        )
        .unwrap();
        assert_eq!(c.fields.first_name, "=Ada");
        assert_eq!(c.fields.phone.as_deref(), Some("+44 20 7946 0958"));
        assert_eq!(c.fields.value_cents, 125050);
        assert_eq!(c.answers, r#"{"1":2.5}"#);
    }
}
