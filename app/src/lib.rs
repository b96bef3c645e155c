//! Leadsy's pages: rendered on the server, as islands. A page is HTML and plain
//! forms; only the parts that act in the browser (the board's cards, a list to
//! reorder, an import's progress) are islands, hydrated from a bundle that carries
//! nothing else. Pages call the domain only through the server functions in `rpc`,
//! which are thin doors.
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
    leptos::mount::hydrate_islands();
    // Marks the page interactive (the browser tests and the page-weight benchmark wait for it).
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
