//! The columns of an import file: the template's header, and matching a file's
//! header to lead fields and questions (case, spaces and underscores do not matter).

use crate::actor::Member;
use crate::questions::{self, Question};
use crate::{Ctx, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    FirstName,
    LastName,
    CompanyName,
    Email,
    Phone,
    PostalCode,
    Value,
    Stage,
    Source,
    Campaign,
    /// An answer to the company's question with this id.
    Question(i64),
}

/// The template's names, and other names spreadsheets commonly use.
const FIELDS: [(Column, &str, &[&str]); 10] = [
    (
        Column::FirstName,
        "first_name",
        &["firstname", "given name"],
    ),
    (
        Column::LastName,
        "last_name",
        &["lastname", "surname", "family name"],
    ),
    (
        Column::CompanyName,
        "company_name",
        &["company", "organization", "organisation"],
    ),
    (Column::Email, "email", &["e mail", "email address"]),
    (
        Column::Phone,
        "phone",
        &["phone number", "telephone", "mobile"],
    ),
    (
        Column::PostalCode,
        "postal_code",
        &["postcode", "zip", "zip code"],
    ),
    (Column::Value, "value", &["amount", "deal value"]),
    (Column::Stage, "stage", &["stage key"]),
    (Column::Source, "source", &["source name"]),
    (Column::Campaign, "campaign", &["campaign name"]),
];

/// `First-Name `, `first_name` and `FIRST NAME` are one name.
fn normalized(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Notes kept about ignored columns; a file of thousands of stray columns gets the
/// first ones and a count, not a note per column in every status read.
const MAX_NOTES: usize = 20;

/// A file's header as lead columns: the column of each cell (none when ignored)
/// and notes about the ignored ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub columns: Vec<Option<Column>>,
    pub notes: Vec<String>,
}

impl Header {
    pub fn match_names(
        names: &[String],
        questions: &[Question],
    ) -> std::result::Result<Header, String> {
        let mut columns: Vec<Option<Column>> = Vec::new();
        let mut notes = Vec::new();
        for name in names {
            let key = normalized(name);
            let found = FIELDS
                .iter()
                .find(|(_, main, others)| normalized(main) == key || others.contains(&key.as_str()))
                .map(|(c, ..)| *c)
                .or_else(|| {
                    questions
                        .iter()
                        .find(|q| normalized(&q.text) == key)
                        .map(|q| Column::Question(q.id))
                });
            let column = match found {
                Some(c) if columns.contains(&Some(c)) => {
                    notes.push(format!(
                        "the column \"{}\" appears twice; the second was ignored",
                        name.trim()
                    ));
                    None
                }
                Some(c) => Some(c),
                None if key.is_empty() => None,
                None => {
                    notes.push(format!(
                        "the column \"{}\" is not a lead field or question and was ignored",
                        name.trim()
                    ));
                    None
                }
            };
            columns.push(column);
        }
        let identifies = [
            Column::FirstName,
            Column::LastName,
            Column::Email,
            Column::Phone,
        ]
        .iter()
        .any(|c| columns.contains(&Some(*c)));
        if !identifies {
            return Err(
                "has no first_name, last_name, email or phone column; download the template to see the columns"
                    .into(),
            );
        }
        if notes.len() > MAX_NOTES {
            let more = notes.len() - (MAX_NOTES - 1);
            notes.truncate(MAX_NOTES - 1);
            notes.push(format!("{more} more columns were ignored in the same way"));
        }
        Ok(Header { columns, notes })
    }
}

/// The template's header row: every lead field, source and campaign by name, stage
/// by key, and one column per company question (by its text).
pub async fn template(ctx: &Ctx, me: &Member) -> Result<String> {
    let questions = questions::list(ctx, me).await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let names = FIELDS
        .iter()
        .map(|(_, main, _)| main.to_string())
        .chain(questions.into_iter().map(|q| q.text));
    writer
        .write_record(names.collect::<Vec<_>>())
        .map_err(crate::Error::internal)?;
    let bytes = writer.into_inner().map_err(crate::Error::internal)?;
    String::from_utf8(bytes).map_err(crate::Error::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(id: i64, text: &str) -> Question {
        Question {
            id,
            company_id: 1,
            campaign_id: None,
            text: text.into(),
            kind: "text".into(),
            options: vec![],
            priority: id,
        }
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_match_whatever_their_case_and_spacing() {
        let q = [question(7, "What is the budget?")];
        let h = Header::match_names(
            &names(&[
                "First Name",
                "E-Mail",
                " ZIP ",
                "what is the  BUDGET?",
                "Stage",
            ]),
            &q,
        )
        .unwrap();
        assert_eq!(
            h.columns,
            vec![
                Some(Column::FirstName),
                Some(Column::Email),
                Some(Column::PostalCode),
                Some(Column::Question(7)),
                Some(Column::Stage)
            ]
        );
        assert!(h.notes.is_empty());
    }

    #[test]
    fn extra_and_repeated_columns_are_ignored_with_a_note() {
        let h =
            Header::match_names(&names(&["email", "Favourite colour", "EMAIL", ""]), &[]).unwrap();
        assert_eq!(h.columns, vec![Some(Column::Email), None, None, None]);
        assert_eq!(h.notes.len(), 2);
        assert!(h.notes[0].contains("Favourite colour"));
        assert!(h.notes[1].contains("appears twice"));
        let stray: Vec<String> = (0..5000).map(|i| format!("extra {i}")).collect();
        let wide = [vec!["email".to_string()], stray].concat();
        let h = Header::match_names(&wide, &[]).unwrap();
        assert_eq!(h.notes.len(), MAX_NOTES);
        assert_eq!(
            h.notes[MAX_NOTES - 1],
            "4981 more columns were ignored in the same way"
        );
    }

    #[test]
    fn a_header_without_a_way_to_name_the_lead_is_refused() {
        let err = Header::match_names(&names(&["company", "value"]), &[]).unwrap_err();
        assert!(err.contains("template"));
    }
}
