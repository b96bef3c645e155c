//! The reader's time zone on the pages: the sign-up form learns it from the
//! browser, and every time a page shows is on the reader's clock with its zone
//! named. The API's times stay UTC.

use leadsy::time::Timestamp;
use leptos::prelude::*;

/// A hidden `time_zone` input that the browser fills with its own zone once the
/// page's code runs. Before that, or without it, the account starts on UTC, and
/// the zone can be set on the account page at any time.
#[island]
pub fn BrowserZone() -> impl IntoView {
    let zone = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(z) = browser_zone() {
            zone.set(z);
        }
    });
    view! { <input type="hidden" name="time_zone" prop:value=move || zone.get() data-testid="browser-zone"/> }
}

#[cfg(feature = "hydrate")]
fn browser_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()
}

#[cfg(not(feature = "hydrate"))]
fn browser_zone() -> Option<String> {
    None
}

/// A moment on the reader's clock, the zone named: "2 Dec 2026, 09:00 EST".
pub fn when(at: Timestamp) -> String {
    #[cfg(feature = "ssr")]
    {
        reader_zone().minute(at)
    }
    #[cfg(not(feature = "ssr"))]
    {
        at.minute()
    }
}

/// The day a moment falls on for the reader: "2 Dec 2026".
pub fn on_day(at: Timestamp) -> String {
    #[cfg(feature = "ssr")]
    {
        reader_zone().day(at)
    }
    #[cfg(not(feature = "ssr"))]
    {
        at.day()
    }
}

/// The signed-in reader's zone, as the page guard found it (UTC for a visitor).
pub fn reader_zone() -> leadsy::zone::Zone {
    use_context::<leadsy::zone::Zone>().unwrap_or_default()
}
