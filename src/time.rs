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
    }
}
