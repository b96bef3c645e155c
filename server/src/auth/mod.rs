//! Finding the actor of a request: the session cookie (pages), a bearer JWT or
//! customer API key (`/api/v1`), a platform token (`/api/v1/global`).

pub mod actor;
pub mod jwt;
pub mod session_store;
pub mod sessions;
