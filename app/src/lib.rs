//! Leadsy's pages: rendered on the server, hydrated in the browser. Pages call the
//! domain only through the server functions in `rpc`, which are thin doors.
// The board's view types nest deeply; release builds need the higher limit.
#![recursion_limit = "256"]

pub mod components;
pub mod error;
pub mod pages;
pub mod rpc;
#[cfg(feature = "ssr")]
pub mod session;
pub mod shell;

pub use shell::{shell, App};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
