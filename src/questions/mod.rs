//! Questions a company asks about its leads (budget, timeline, …), in the
//! priority order its reps go through them; a question may belong to a campaign.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod campaign;
#[cfg(feature = "server")]
mod ops;

#[cfg(feature = "server")]
pub(crate) use ops::all;
#[cfg(feature = "server")]
pub use {
    campaign::{for_campaign, set_options},
    ops::{create, delete, get, list, reorder},
};

pub const KINDS: [&str; 4] = ["text", "number", "single_choice", "multi_choice"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Question {
    pub id: i64,
    pub company_id: i64,
    pub campaign_id: Option<i64>,
    pub text: String,
    /// `text`, `number`, `single_choice` or `multi_choice`.
    pub kind: String,
    /// The choices of a choice question; empty for the others.
    pub options: Vec<String>,
    /// 1 is asked first.
    pub priority: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateQuestion {
    pub text: String,
    pub kind: String,
    #[serde(default)]
    pub options: Vec<String>,
    pub campaign_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuestionOrder {
    /// Every question of the company, first asked first.
    pub question_ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuestionOptions {
    pub id: i64,
    pub options: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BulkOptions {
    pub questions: Vec<QuestionOptions>,
}

pub fn parse_text(raw: &str) -> Result<String, String> {
    let t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match t.chars().count() {
        0 => Err("is required".into()),
        n if n > 500 => Err("must be at most 500 characters".into()),
        _ => Ok(t),
    }
}

/// Choice questions need 1 to 50 distinct, non-blank options; the others none.
pub fn parse_options(kind: &str, raw: &[String]) -> Result<Vec<String>, String> {
    let options: Vec<String> = raw
        .iter()
        .map(|o| o.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let choice = kind.ends_with("_choice");
    if !choice {
        return if options.is_empty() {
            Ok(options)
        } else {
            Err(format!("are only for choice questions, not {kind}"))
        };
    }
    if options.is_empty() || options.len() > 50 {
        return Err("must hold 1 to 50 choices".into());
    }
    if options
        .iter()
        .any(|o| o.is_empty() || o.chars().count() > 200)
    {
        return Err("must each be 1 to 200 characters".into());
    }
    let mut seen: Vec<String> = options.iter().map(|o| o.to_lowercase()).collect();
    seen.sort();
    seen.dedup();
    if seen.len() != options.len() {
        return Err("must be distinct".into());
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_fit_the_kind() {
        let o = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            parse_options("single_choice", &o(&[" Yes ", "No"])),
            Ok(o(&["Yes", "No"]))
        );
        assert!(parse_options("single_choice", &[]).is_err());
        assert!(parse_options("multi_choice", &o(&["A", "a"])).is_err());
        assert!(parse_options("text", &o(&["A"])).is_err());
        assert_eq!(parse_options("number", &[]), Ok(vec![]));
    }
}
