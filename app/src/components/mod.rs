//! Pieces the pages share: the frame around them, form fields, the guard that sends
//! a user to the page they belong on, the onboarding progress.

pub mod answers;
pub mod form;
pub mod frame;
pub mod guard;
pub mod panel;
pub mod reorder;
pub mod wizard;
pub mod zone;
