//! The time zone a user reads and enters times in. Times are kept and sent by the
//! API in UTC; only the pages show them on the user's own clock, with the zone
//! named, and read the times typed into them on it. The zone database is bundled
//! into the server, so every instance agrees whatever the host has installed.

use serde::{Deserialize, Serialize};

/// An IANA zone name ("America/New_York"), as the bundled database spells it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Zone(String);

impl Default for Zone {
    fn default() -> Self {
        Zone("UTC".into())
    }
}

impl Zone {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(feature = "server")]
mod clock {
    use super::Zone;
    use crate::time::Timestamp;
    use jiff::tz::TimeZone;

    impl Zone {
        /// A zone the database knows, by its name in any case.
        pub fn parse(raw: &str) -> Result<Zone, String> {
            let name = raw.trim();
            let refused =
                || "is not a time zone such as Europe/Paris or America/New_York".to_string();
            if name.is_empty() || name.len() > 64 {
                return Err(refused());
            }
            let tz = TimeZone::get(name).map_err(|_| refused())?;
            Ok(Zone(tz.iana_name().unwrap_or(name).to_string()))
        }

        /// A name read back from the database, where only parsed names are written.
        pub(crate) fn stored(name: String) -> Zone {
            Zone(name)
        }

        /// Every zone, by name, for a menu.
        pub fn all() -> Vec<String> {
            let mut names: Vec<String> = jiff::tz::db()
                .available()
                .map(|n| n.as_str().to_string())
                .collect();
            names.sort();
            names.dedup();
            names
        }

        fn tz(&self) -> TimeZone {
            TimeZone::get(&self.0).unwrap_or(TimeZone::UTC)
        }

        /// "2 Dec 2026, 09:00 EST": a moment as a clock in this zone shows it.
        pub fn minute(&self, at: Timestamp) -> String {
            jiff::Timestamp::from_second(at.0)
                .map(|t| {
                    t.to_zoned(self.tz())
                        .strftime("%-d %b %Y, %H:%M %Z")
                        .to_string()
                })
                .unwrap_or_else(|_| at.minute())
        }

        /// "2 Dec 2026": the day it is in this zone at that moment.
        pub fn day(&self, at: Timestamp) -> String {
            jiff::Timestamp::from_second(at.0)
                .map(|t| t.to_zoned(self.tz()).strftime("%-d %b %Y").to_string())
                .unwrap_or_else(|_| at.day())
        }

        /// A form's `datetime-local` value (`2026-03-23T15:30`, seconds optional)
        /// read on this zone's clock. A time a clock change skips is read past the
        /// gap; one it repeats is the earlier.
        pub fn parse_minute(&self, s: &str) -> Result<Timestamp, String> {
            let refused = || "must be a date and time such as 2026-03-23T15:30".to_string();
            let s = s.trim();
            let civil = jiff::civil::DateTime::strptime("%Y-%m-%dT%H:%M", s)
                .or_else(|_| jiff::civil::DateTime::strptime("%Y-%m-%dT%H:%M:%S", s))
                .map_err(|_| refused())?;
            let zoned = civil.to_zoned(self.tz()).map_err(|_| refused())?;
            Ok(Timestamp(zoned.timestamp().as_second()))
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn times_read_and_show_on_the_users_clock() {
            let ny = Zone::parse("america/new_york").unwrap();
            assert_eq!(ny.as_str(), "America/New_York");
            let at = ny.parse_minute("2027-01-15T09:00").unwrap();
            assert_eq!(at.rfc3339(), "2027-01-15T14:00:00Z");
            assert_eq!(ny.minute(at), "15 Jan 2027, 09:00 EST");
            assert_eq!(Zone::default().minute(at), "15 Jan 2027, 14:00 UTC");
            let summer = ny.parse_minute("2027-07-15T09:00:00").unwrap();
            assert_eq!(summer.rfc3339(), "2027-07-15T13:00:00Z");
            assert!(Zone::parse("Mars/Olympus").is_err());
            assert!(Zone::parse("").is_err());
            assert!(ny.parse_minute("tomorrow").is_err());
            assert!(Zone::all().iter().any(|z| z == "Europe/Paris"));
        }
    }
}
