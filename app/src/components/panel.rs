//! The cards pages are made of, and the looks their forms share.

use crate::error::AppError;
use leptos::prelude::*;

/// A titled card: one section of a page.
#[component]
pub fn Panel(
    title: &'static str,
    #[prop(optional)] note: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
            <h2 class="text-lg font-semibold">{title}</h2>
            {note.map(|n| view! { <p class="mt-1 text-sm text-slate-600">{n}</p> })}
            <div class="mt-4 space-y-4">{children()}</div>
        </section>
    }
}

/// A failed load, in place of the section.
pub fn load_failed(e: AppError) -> AnyView {
    view! { <p class="rounded-md bg-red-50 p-4 text-red-700" role="alert">{e.to_string()}</p> }
        .into_any()
}

/// The input look shared by the settings forms.
pub const INPUT: &str =
    "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200";
/// A primary button.
pub const BUTTON: &str =
    "rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-700 disabled:opacity-60";
/// A quiet, destructive button.
pub const DANGER: &str = "text-sm text-red-700 hover:underline";
