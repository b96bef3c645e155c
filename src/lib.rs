//! Leadsy's domain: every documented operation is one async function here, shared
//! by the pages' server functions and the `/api/v1` handlers. Types compile for the
//! browser too; storage, hashing and mail sit behind the `server` feature.

pub mod error;
pub mod paging;
pub mod time;

pub mod accesses;
pub mod appointments;
pub mod campaigns;
pub mod companies;
pub mod cycles;
pub mod events;
pub mod global;
pub mod imports;
pub mod invitations;
pub mod jobs;
pub mod leads;
pub mod legal;
pub mod memberships;
pub mod notes;
pub mod numbers;
pub mod onboarding;
pub mod patch;
pub mod questions;
pub mod sources;
pub mod stages;
pub mod territories;
pub mod users;
pub mod views;
pub mod webhooks;
pub mod zone;

#[cfg(feature = "server")]
pub mod actor;
#[cfg(feature = "server")]
pub mod avatar;
#[cfg(feature = "server")]
pub mod ctx;
#[cfg(feature = "server")]
pub mod db;
#[cfg(feature = "server")]
pub mod limits;
#[cfg(feature = "server")]
pub mod mail;
#[cfg(feature = "server")]
pub mod password;
#[cfg(feature = "server")]
mod priority;
#[cfg(feature = "server")]
pub mod queues;
#[cfg(feature = "server")]
pub mod secret;
#[cfg(feature = "server")]
pub mod stop;
#[cfg(feature = "server")]
pub mod storage;

pub use error::{Error, Result};
#[cfg(feature = "server")]
pub use {actor::Actor, ctx::Ctx};
