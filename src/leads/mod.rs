//! Leads: the people a company sells to, worked on the board stage by stage.

use crate::error::Check;
use crate::notes::Note;
use crate::time::Timestamp;
use crate::users::Email;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod create;
#[cfg(feature = "server")]
mod duplicates;
#[cfg(feature = "server")]
mod list;
#[cfg(feature = "server")]
mod read;
#[cfg(feature = "server")]
pub(crate) mod references;
#[cfg(feature = "server")]
pub mod routing;
#[cfg(feature = "server")]
mod update;

#[cfg(feature = "server")]
pub use {
    create::create,
    duplicates::duplicates,
    list::{board, list, member_totals_sql, metrics, unassigned},
    read::{get, visible},
    update::update,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Lead {
    pub id: i64,
    pub company_id: i64,
    pub first_name: String,
    pub last_name: String,
    /// The lead's own employer, shown on the card.
    pub company_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub stage_id: i64,
    pub source_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub cycle_id: Option<i64>,
    pub assigned_user_access_id: Option<i64>,
    pub value_cents: i64,
    /// Answers to the company's questions, keyed by question id.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub answers: serde_json::Map<String, serde_json::Value>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Display names for the ids above, so a card needs no further lookups.
    pub source_name: Option<String>,
    pub campaign_name: Option<String>,
    pub assignee_name: Option<String>,
}

impl Lead {
    pub fn full_name(&self) -> String {
        let name = format!("{} {}", self.first_name, self.last_name);
        let name = name.trim();
        if name.is_empty() {
            self.email
                .clone()
                .or(self.phone.clone())
                .unwrap_or_else(|| format!("Lead #{}", self.id))
        } else {
            name.to_string()
        }
    }
}

/// A lead with its notes, as `GET .../leads/{id}` answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LeadDetail {
    #[serde(flatten)]
    pub lead: Lead,
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateLead {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub company_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    /// Defaults to the first stage (`new`).
    pub stage_id: Option<i64>,
    pub source_id: Option<i64>,
    pub campaign_id: Option<i64>,
    /// Left out, the lead is routed (territory, then source, round robin).
    pub assigned_user_access_id: Option<i64>,
    #[serde(default)]
    pub value_cents: i64,
    #[cfg_attr(feature = "server", schema(value_type = Option<Object>))]
    pub answers: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A partial update: what is left out stays; `null` clears a nullable field.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateLead {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company_name: Option<String>,
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<String>))]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<String>))]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<String>))]
    pub postal_code: Option<Option<String>>,
    pub stage_id: Option<i64>,
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<i64>))]
    pub source_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<i64>))]
    pub campaign_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<i64>))]
    pub assigned_user_access_id: Option<Option<i64>>,
    pub value_cents: Option<i64>,
    #[cfg_attr(feature = "server", schema(value_type = Option<Object>))]
    pub answers: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Which leads a list, the board or the metrics look at. Every filter is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct LeadFilter {
    pub stage_id: Option<i64>,
    pub source_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub cycle_id: Option<i64>,
    pub assigned_user_access_id: Option<i64>,
    /// Words searched in name, company, email and phone.
    pub q: Option<String>,
}

/// One stage's column on the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StageMetric {
    pub stage_id: i64,
    pub stage_key: String,
    pub stage_name: String,
    pub count: i64,
    pub value_cents: i64,
}

/// One column of the board: its stage's totals and its newest cards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardColumn {
    pub metric: StageMetric,
    pub leads: Vec<Lead>,
}

/// Leads sharing one normalized email (`match: "email"`) or phone (`"phone"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DuplicateGroup {
    #[serde(rename = "match")]
    pub matched_on: String,
    pub value: String,
    pub count: i64,
    pub leads: Vec<Lead>,
}

/// A lead's fields after parsing: what the page, the API and the import all store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadFields {
    pub first_name: String,
    pub last_name: String,
    pub company_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub value_cents: i64,
}

impl LeadFields {
    /// Every refused field is noted in `check`; `None` when any was.
    pub fn parse(check: &mut Check, input: &CreateLead) -> Option<LeadFields> {
        let value_cents = input.value_cents;
        let first = check.take("first_name", short_text(&input.first_name, 100));
        let last = check.take("last_name", short_text(&input.last_name, 100));
        let company = check.take("company_name", short_text(&input.company_name, 200));
        let email = check.take(
            "email",
            optional(input.email.as_deref(), |e| {
                Email::parse(e).map(|e| e.as_str().to_string())
            }),
        );
        let phone = check.take("phone", optional(input.phone.as_deref(), parse_phone));
        let postal = check.take(
            "postal_code",
            optional(input.postal_code.as_deref(), parse_postal_code),
        );
        if value_cents < 0 {
            check.add("value_cents", "must not be negative");
        }
        let fields = LeadFields {
            first_name: first?,
            last_name: last?,
            company_name: company?,
            email: email?,
            phone: phone?,
            postal_code: postal?,
            value_cents,
        };
        if fields.first_name.is_empty()
            && fields.last_name.is_empty()
            && fields.email.is_none()
            && fields.phone.is_none()
        {
            check.add(
                "first_name",
                "is required unless a last name, email or phone is given",
            );
            return None;
        }
        (value_cents >= 0).then_some(fields)
    }

    pub fn email_key(&self) -> Option<String> {
        self.email.clone()
    }

    pub fn phone_key(&self) -> Option<String> {
        self.phone.as_deref().map(phone_key)
    }

    /// Lower-cased words the board's search box matches with `LIKE`.
    pub fn search_text(&self) -> String {
        let mut s = [
            self.first_name.as_str(),
            self.last_name.as_str(),
            self.company_name.as_str(),
            self.email.as_deref().unwrap_or_default(),
        ]
        .join(" ")
        .to_lowercase();
        if let Some(p) = self.phone_key() {
            s.push(' ');
            s.push_str(&p);
        }
        s
    }
}

/// An amount typed in a form, `1,250.50` or `1250`, in cents.
pub fn parse_amount(raw: &str) -> Result<i64, String> {
    let t: String = raw
        .trim()
        .trim_start_matches('$')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    if t.is_empty() {
        return Ok(0);
    }
    let refuse = || "must be an amount such as 1250 or 1250.50".to_string();
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(refuse());
    }
    let whole: i64 = whole.parse().map_err(|_| refuse())?;
    let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| refuse())?;
    whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(cents))
        .ok_or_else(refuse)
}

/// Cents as a page shows them: `$1,250` or `$1,250.50`.
pub fn format_amount(cents: i64) -> String {
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match cents % 100 {
        0 => format!("${grouped}"),
        c => format!("${grouped}.{c:02}"),
    }
}

fn short_text(raw: &str, max: usize) -> Result<String, String> {
    let t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > max {
        Err(format!("must be at most {max} characters"))
    } else {
        Ok(t)
    }
}

/// A blank optional field is no value at all.
fn optional(
    raw: Option<&str>,
    parse: impl Fn(&str) -> Result<String, String>,
) -> Result<Option<String>, String> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => parse(v).map(Some),
    }
}

/// A phone number as typed, if it holds 6 to 15 digits (E.164's most) and only the
/// usual punctuation.
pub fn parse_phone(raw: &str) -> Result<String, String> {
    let allowed = raw
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let digits = phone_key(raw).len();
    if !allowed || !(6..=15).contains(&digits) {
        Err("is not a valid phone number".into())
    } else {
        Ok(raw.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// The digits of a phone number: `+1 (555) 010-2030` and `15550102030` are one phone.
pub fn phone_key(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// Postal codes compare without spaces and case: `sw1a 1aa` is `SW1A1AA`.
pub fn parse_postal_code(raw: &str) -> Result<String, String> {
    let code: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    if code.is_empty()
        || code.len() > 12
        || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        Err("is not a valid postal code".into())
    } else {
        Ok(code)
    }
}

#[cfg(feature = "server")]
pub mod row {
    use super::Lead;
    use crate::time::Timestamp;

    /// Every lead query selects these, with the names a card shows joined in.
    pub const SELECT: &str = "SELECT l.id, l.company_id, l.first_name, l.last_name, l.company_name, \
        l.email, l.phone, l.postal_code, l.stage_id, l.source_id, l.campaign_id, l.cycle_id, \
        l.assigned_user_access_id, l.value_cents, l.answers, l.created_at, l.updated_at, \
        s.name AS source_name, c.name AS campaign_name, u.first_name AS a_first, u.last_name AS a_last \
        FROM leads l LEFT JOIN sources s ON s.id = l.source_id \
        LEFT JOIN campaigns c ON c.id = l.campaign_id \
        LEFT JOIN user_accesses ua ON ua.id = l.assigned_user_access_id \
        LEFT JOIN users u ON u.id = ua.user_id";

    #[derive(sqlx::FromRow)]
    pub struct LeadRow {
        id: i64,
        company_id: i64,
        first_name: String,
        last_name: String,
        company_name: String,
        email: Option<String>,
        phone: Option<String>,
        postal_code: Option<String>,
        stage_id: i64,
        source_id: Option<i64>,
        campaign_id: Option<i64>,
        cycle_id: Option<i64>,
        assigned_user_access_id: Option<i64>,
        value_cents: i64,
        answers: String,
        created_at: i64,
        updated_at: i64,
        source_name: Option<String>,
        campaign_name: Option<String>,
        a_first: Option<String>,
        a_last: Option<String>,
    }

    impl LeadRow {
        pub fn into_lead(self) -> Lead {
            let assignee_name = match (self.a_first, self.a_last) {
                (Some(f), Some(l)) => Some(format!("{f} {l}").trim().to_string()),
                _ => None,
            };
            Lead {
                id: self.id,
                company_id: self.company_id,
                first_name: self.first_name,
                last_name: self.last_name,
                company_name: self.company_name,
                email: self.email,
                phone: self.phone,
                postal_code: self.postal_code,
                stage_id: self.stage_id,
                source_id: self.source_id,
                campaign_id: self.campaign_id,
                cycle_id: self.cycle_id,
                assigned_user_access_id: self.assigned_user_access_id,
                value_cents: self.value_cents,
                answers: serde_json::from_str(&self.answers).unwrap_or_default(),
                created_at: Timestamp(self.created_at),
                updated_at: Timestamp(self.updated_at),
                source_name: self.source_name,
                campaign_name: self.campaign_name,
                assignee_name,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(
        email: Option<&str>,
        phone: Option<&str>,
        postal: Option<&str>,
    ) -> Result<LeadFields, crate::Error> {
        let mut check = Check::default();
        let input = CreateLead {
            first_name: " Ada ".into(),
            last_name: "Lovelace".into(),
            email: email.map(str::to_string),
            phone: phone.map(str::to_string),
            postal_code: postal.map(str::to_string),
            ..CreateLead::default()
        };
        let fields = LeadFields::parse(&mut check, &input);
        check.finish()?;
        Ok(fields.unwrap())
    }

    #[test]
    fn normalizes_contact_fields() {
        let f = parse(
            Some(" Ada@Example.COM "),
            Some("+1 (555) 010-2030"),
            Some("sw1a 1aa"),
        )
        .unwrap();
        assert_eq!(f.first_name, "Ada");
        assert_eq!(f.email.as_deref(), Some("ada@example.com"));
        assert_eq!(f.phone_key().as_deref(), Some("15550102030"));
        assert_eq!(f.postal_code.as_deref(), Some("SW1A1AA"));
        assert!(f.search_text().contains("ada lovelace"));
        let blank = parse(Some(""), Some("  "), None).unwrap();
        assert_eq!((blank.email, blank.phone), (None, None));
    }

    #[test]
    fn amounts_parse_and_format() {
        assert_eq!(parse_amount("1,250.5"), Ok(125050));
        assert_eq!(parse_amount(" $12 "), Ok(1200));
        assert_eq!(parse_amount(""), Ok(0));
        assert!(
            parse_amount("12.345").is_err()
                && parse_amount("-3").is_err()
                && parse_amount("ten").is_err()
        );
        assert_eq!(format_amount(125050), "$1,250.50");
        assert_eq!(format_amount(123456700), "$1,234,567");
        assert_eq!(format_amount(0), "$0");
    }

    #[test]
    fn refuses_bad_fields_all_at_once() {
        let err = parse(Some("nope"), Some("call me"), Some("!!")).unwrap_err();
        let fields = err.fields().unwrap();
        assert!(
            fields.contains_key("email")
                && fields.contains_key("phone")
                && fields.contains_key("postal_code")
        );
        let mut check = Check::default();
        let nameless = CreateLead {
            company_name: "Acme".into(),
            ..CreateLead::default()
        };
        assert!(LeadFields::parse(&mut check, &nameless).is_none());
        assert!(check.finish().is_err());
    }
}
