//! Parsing a lead's own fields, shared by the page, the API and imports: every
//! refusal is collected, and emails, phones and postal codes are normalized so
//! that duplicates and search find them however they were typed.

use super::CreateLead;
use crate::error::Check;
use crate::users::Email;

/// The largest value a lead may carry: ten billion in the currency's units. Nine
/// million leads at this value still sum within a stage total's 64 bits.
pub const MAX_VALUE_CENTS: i64 = 1_000_000_000_000;
const VALUE_RANGE: &str = "must be between 0 and 1000000000000 (ten billion)";

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
        if !(0..=MAX_VALUE_CENTS).contains(&value_cents) {
            check.add("value_cents", VALUE_RANGE);
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
        (0..=MAX_VALUE_CENTS)
            .contains(&value_cents)
            .then_some(fields)
    }

    pub fn email_key(&self) -> Option<String> {
        self.email.clone()
    }

    pub fn phone_key(&self) -> Option<String> {
        self.phone.as_deref().map(phone_key)
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
    let whole = crate::numbers::grouped(cents / 100);
    match (cents % 100).abs() {
        0 => format!("${whole}"),
        c => format!("${whole}.{c:02}"),
    }
}

fn short_text(raw: &str, max: usize) -> Result<String, String> {
    let t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if raw.chars().count() > max {
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
