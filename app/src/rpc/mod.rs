//! Server functions: the pages' doors to the domain. Each finds the actor from the
//! session, calls one operation and says where the browser goes next.

pub mod account;
pub mod board;
pub mod company;
pub mod events;
pub mod imports;
pub mod invitations;
pub mod leads;
pub mod onboarding;
pub mod process;
pub mod routing;
pub mod team;
pub mod upload;
pub mod webhooks;
