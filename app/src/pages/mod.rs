pub mod account;
pub mod api_docs;
pub mod home;
pub mod onboarding;
pub mod terms;
