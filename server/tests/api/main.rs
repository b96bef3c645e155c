//! Every `/api/v1` route over HTTP against the whole application: success, 401,
//! another company's object (404), a weaker role (403), bad input (400/422) and
//! the conflicts the contract names (409).

mod browser;
mod receiver;
mod support;

mod accesses;
mod bulk;
mod catalog;
mod companies;
mod events;
mod export;
mod global;
mod health;
mod imports;
mod invitations;
mod leads;
mod mail;
mod merge;
mod onboarding;
mod openapi;
mod pages;
mod plans;
mod questions;
mod robust;
mod routing;
mod search;
mod sources;
mod storage;
mod trust;
mod users;
mod views;
mod webhooks;
mod wire;
