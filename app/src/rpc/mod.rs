//! Server functions: the pages' doors to the domain. Each finds the actor from the
//! session, calls one operation and says where the browser goes next.

pub mod account;
pub mod board;
pub mod bulk;
pub mod company;
pub mod events;
pub mod imports;
pub mod invitations;
pub mod leads;
pub mod merge;
pub mod onboarding;
pub mod process;
pub mod routing;
pub mod team;
pub mod upload;
pub mod webhooks;

/// A value made safe for a query string: letters, digits and `-._` as they are,
/// every other byte percent-encoded.
pub fn percent_encoded(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}
