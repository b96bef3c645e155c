//! Times are stored as Unix seconds (portable across SQLite and PostgreSQL) and
//! travel as RFC 3339 UTC strings, whole seconds, as the contract shows them.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    #[cfg(feature = "server")]
    pub fn now() -> Self {
        Timestamp(OffsetDateTime::now_utc().unix_timestamp())
    }

    pub fn rfc3339(&self) -> String {
        OffsetDateTime::from_unix_timestamp(self.0)
            .ok()
            .and_then(|t| t.format(&Rfc3339).ok())
            .unwrap_or_default()
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        OffsetDateTime::parse(s, &Rfc3339)
            .map(|t| Timestamp(t.unix_timestamp()))
            .map_err(|_| "must be an RFC 3339 time such as 2026-03-23T15:30:28Z".to_string())
    }

    /// "23 Mar 2026, 15:30 UTC" for pages.
    pub fn minute(&self) -> String {
        OffsetDateTime::from_unix_timestamp(self.0)
            .ok()
            .and_then(|t| {
                t.format(time::macros::format_description!(
                    "[day padding:none] [month repr:short] [year], [hour]:[minute] UTC"
                ))
                .ok()
            })
            .unwrap_or_default()
    }

    /// "23 Mar 2026" for pages.
    pub fn day(&self) -> String {
        OffsetDateTime::from_unix_timestamp(self.0)
            .ok()
            .and_then(|t| {
                t.format(time::macros::format_description!(
                    "[day padding:none] [month repr:short] [year]"
                ))
                .ok()
            })
            .unwrap_or_default()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "server")]
impl utoipa::PartialSchema for Timestamp {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::DateTime,
            )))
            .examples([serde_json::json!("2026-03-23T15:30:28Z")])
            .into()
    }
}

#[cfg(feature = "server")]
impl utoipa::ToSchema for Timestamp {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_rfc3339_utc() {
        let t = Timestamp::parse("2026-03-23T15:30:28Z").unwrap();
        assert_eq!(t.rfc3339(), "2026-03-23T15:30:28Z");
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2026-03-23T15:30:28Z\""
        );
        assert!(Timestamp::parse("yesterday").is_err());
        let m = Timestamp::parse("2026-03-23T15:30:00Z").unwrap();
        assert_eq!(m.minute(), "23 Mar 2026, 15:30 UTC");
    }
}

/// A calendar date, `YYYY-MM-DD`, stored as that text so it sorts and compares
/// the same in SQLite and PostgreSQL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(String);

impl Day {
    pub fn parse(s: &str) -> Result<Self, String> {
        time::Date::parse(
            s.trim(),
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map(|d| Day(day_text(d)))
        .map_err(|_| "must be a date such as 2026-03-23".to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The UTC day of a moment: which cycle a lead created then belongs to.
    pub fn of(t: Timestamp) -> Self {
        let d = OffsetDateTime::from_unix_timestamp(t.0)
            .map(|t| t.date())
            .unwrap_or(time::Date::MIN);
        Day(day_text(d))
    }
}

fn day_text(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Day::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "server")]
impl utoipa::PartialSchema for Day {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Date,
            )))
            .examples([serde_json::json!("2026-03-23")])
            .into()
    }
}

#[cfg(feature = "server")]
impl utoipa::ToSchema for Day {}

#[cfg(test)]
mod day_tests {
    use super::*;

    #[test]
    fn parses_and_orders_days() {
        assert_eq!(Day::parse(" 2026-03-23 ").unwrap().as_str(), "2026-03-23");
        assert!(Day::parse("2026-02-30").is_err());
        assert!(Day::parse("23/03/2026").is_err());
        assert_eq!(Day::of(Timestamp(0)).as_str(), "1970-01-01");
        assert!(Day::parse("2026-03-09").unwrap() < Day::parse("2026-10-01").unwrap());
    }
}
