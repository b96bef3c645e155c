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
    ops::{create, delete, get, list, reorder, update},
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

/// A question as edited: its words, its options (for a choice question) and its
/// campaign. Its kind cannot change.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateQuestion {
    #[cfg_attr(feature = "server", schema(max_length = 500))]
    pub text: String,
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

/// The longest text answer.
pub const MAX_TEXT_ANSWER: usize = 1000;

impl Question {
    /// An answer as this question's kind wants it, or why not: text up to 1000
    /// characters, a finite number, one of the options, or distinct options. A
    /// choice matches its option whatever the case and is kept as the option is
    /// written. The API, the pages and imports all answer through this rule.
    pub fn check_answer(&self, value: &serde_json::Value) -> Result<serde_json::Value, String> {
        use serde_json::Value;
        let option = |v: &Value| {
            v.as_str()
                .and_then(|raw| {
                    self.options
                        .iter()
                        .find(|o| o.eq_ignore_ascii_case(raw.trim()))
                })
                .map(|o| Value::String(o.clone()))
                .ok_or_else(|| format!("must be one of: {}", self.options.join(", ")))
        };
        match (self.kind.as_str(), value) {
            ("number", Value::Number(n)) if n.as_f64().is_some_and(f64::is_finite) => {
                Ok(value.clone())
            }
            ("number", _) => Err("must be a number".into()),
            ("single_choice", v) => option(v),
            ("multi_choice", Value::Array(items)) => {
                let picked = items.iter().map(option).collect::<Result<Vec<_>, _>>()?;
                let mut distinct = picked.clone();
                distinct.sort_by_key(|v| v.to_string());
                distinct.dedup();
                if distinct.len() != picked.len() {
                    return Err("must not repeat a choice".into());
                }
                Ok(Value::Array(picked))
            }
            ("multi_choice", _) => Err("must be a list of choices".into()),
            (_, Value::String(t)) if t.chars().count() > MAX_TEXT_ANSWER => {
                Err(format!("must be at most {MAX_TEXT_ANSWER} characters"))
            }
            (_, Value::String(_)) => Ok(value.clone()),
            _ => Err("must be text".into()),
        }
    }
}

impl Question {
    /// What a page's form sends for this question, as the answer it means: the
    /// text typed (a number with `.` or `,` as its decimal mark), or the choices
    /// ticked. Nothing typed is no answer. What comes back is held to
    /// `check_answer` by the lead writer like any other answer.
    pub fn from_form(&self, typed: &[String]) -> Option<serde_json::Value> {
        use serde_json::Value;
        let filled: Vec<&str> = typed
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        let first = *filled.first()?;
        Some(match self.kind.as_str() {
            "multi_choice" => Value::Array(filled.iter().map(|t| Value::from(*t)).collect()),
            "number" => typed_number(first).unwrap_or_else(|| Value::from(first)),
            _ => Value::from(first),
        })
    }
}

/// A number as a person types it: `1,000` and `1,000.5` group thousands, a lone
/// comma (`12,5`) marks decimals; a whole number stays an integer.
fn typed_number(raw: &str) -> Option<serde_json::Value> {
    let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
    let groups: Vec<&str> = whole.trim_start_matches('-').split(',').collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3);
    let plain = if grouped {
        format!("{}.{fraction}", whole.replace(',', ""))
    } else if raw.contains('.') {
        raw.to_string()
    } else {
        raw.replace(',', ".")
    };
    let n = plain.trim_end_matches('.').parse::<f64>().ok()?;
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        return Some(serde_json::Value::from(n as i64));
    }
    serde_json::Number::from_f64(n).map(serde_json::Value::Number)
}

/// The answers a form sends, keyed by question id as the inputs are named; a key
/// that names no question is passed on for `check_answers` to refuse.
pub fn answers_from_form(
    questions: &[Question],
    typed: &std::collections::HashMap<String, Vec<String>>,
) -> serde_json::Map<String, serde_json::Value> {
    typed
        .iter()
        .filter_map(|(key, values)| {
            let answer = match questions.iter().find(|q| q.id.to_string() == *key) {
                Some(q) => q.from_form(values)?,
                None => serde_json::Value::from(values.join(" ")),
            };
            Some((key.clone(), answer))
        })
        .collect()
}

/// Checks a lead's answers (keyed by question id) against the company's questions,
/// noting each refusal under `answers.<id>`; returns them as they are kept.
pub fn check_answers(
    questions: &[Question],
    answers: &serde_json::Map<String, serde_json::Value>,
    check: &mut crate::error::Check,
) -> serde_json::Map<String, serde_json::Value> {
    let mut kept = serde_json::Map::new();
    for (key, value) in answers {
        let field = format!("answers.{key}");
        // Only the id as the question writes it: `07` or `+7` would be a second key.
        let question = questions.iter().find(|q| q.id.to_string() == *key);
        match question {
            None => check.add(&field, "is not a question of this company"),
            Some(_) if value.is_null() => {}
            Some(q) => match q.check_answer(value) {
                Ok(v) => {
                    kept.insert(q.id.to_string(), v);
                }
                Err(m) => check.add(&field, &m),
            },
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn question(kind: &str, options: &[&str]) -> Question {
        Question {
            id: 7,
            company_id: 1,
            campaign_id: None,
            text: "q".into(),
            kind: kind.into(),
            options: options.iter().map(|s| s.to_string()).collect(),
            priority: 1,
        }
    }

    #[test]
    fn answers_fit_their_question() {
        let n = question("number", &[]);
        assert_eq!(n.check_answer(&json!(12.5)), Ok(json!(12.5)));
        assert!(n.check_answer(&json!("12")).is_err());
        let one = question("single_choice", &["Small", "Large"]);
        assert_eq!(one.check_answer(&json!(" large ")), Ok(json!("Large")));
        assert!(one.check_answer(&json!("Huge")).is_err());
        assert!(one.check_answer(&json!(["Small"])).is_err());
        let many = question("multi_choice", &["A", "B"]);
        assert_eq!(many.check_answer(&json!(["b", "A"])), Ok(json!(["B", "A"])));
        assert!(many.check_answer(&json!(["A", "a"])).is_err());
        assert!(many.check_answer(&json!("A")).is_err());
        let text = question("text", &[]);
        assert_eq!(text.check_answer(&json!("fine")), Ok(json!("fine")));
        assert!(text.check_answer(&json!("x".repeat(1001))).is_err());
        assert!(text.check_answer(&json!({"deep": [1, 2]})).is_err());
    }

    #[test]
    fn only_the_company_questions_are_answered() {
        let qs = [question("number", &[])];
        let mut check = crate::error::Check::default();
        let answers = json!({"7": 3, "8": "x", "../x": 1, "7 ": 2, "07": 1, "+7": 1});
        let kept = check_answers(&qs, answers.as_object().unwrap(), &mut check);
        assert_eq!(kept, *json!({"7": 3}).as_object().unwrap());
        let err = check.finish().unwrap_err();
        let fields = err.fields().unwrap();
        for refused in ["8", "../x", "7 ", "07", "+7"] {
            assert!(
                fields.contains_key(&format!("answers.{refused}")),
                "{refused}"
            );
        }
    }

    #[test]
    fn forms_answer_by_kind() {
        let typed = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let n = question("number", &[]);
        assert_eq!(n.from_form(&typed(&[" 12,5 "])), Some(json!(12.5)));
        assert_eq!(n.from_form(&typed(&["1,000"])), Some(json!(1000)));
        assert_eq!(n.from_form(&typed(&["1,000.5"])), Some(json!(1000.5)));
        assert_eq!(n.from_form(&typed(&["3"])), Some(json!(3)));
        assert_eq!(n.from_form(&typed(&["twelve"])), Some(json!("twelve")));
        assert_eq!(n.from_form(&typed(&["  "])), None);
        let many = question("multi_choice", &["A", "B"]);
        assert_eq!(
            many.from_form(&typed(&["A", "", "B"])),
            Some(json!(["A", "B"]))
        );
        let all = std::collections::HashMap::from([
            ("7".to_string(), typed(&["3"])),
            ("99".to_string(), typed(&["x"])),
        ]);
        let map = answers_from_form(&[n], &all);
        assert_eq!(map.get("7"), Some(&json!(3)));
        assert_eq!(map.get("99"), Some(&json!("x")));
    }

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
