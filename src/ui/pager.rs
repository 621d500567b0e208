//! Previous / next links under a paged, searchable list, keeping the search.

use leptos::prelude::*;
use leptos_router::location::Url;

/// "N thing(s) · page P of L" and the links to the pages around it, at `base?q=…&page=…`.
#[component]
pub fn PageLinks(
    base: &'static str,
    noun: &'static str,
    total: i64,
    page: i64,
    per_page: i64,
    search: Option<String>,
) -> impl IntoView {
    let last_page = ((total + per_page - 1) / per_page.max(1)).max(1);
    let link = move |n: i64| match &search {
        Some(q) => format!("{base}?q={}&page={n}", Url::escape(q)),
        None => format!("{base}?page={n}"),
    };
    let (prev, next) = (
        (page > 1).then(|| link(page - 1)),
        (page < last_page).then(|| link(page + 1)),
    );
    view! {
        <nav aria-label="Pages" class="mt-3 flex items-center justify-between text-sm text-slate-600">
            <span>{format!("{total} {noun}(s) · page {page} of {last_page}")}</span>
            <span class="flex gap-3">
                {prev.map(|href| view! { <a href=href class="font-medium text-amber-700 hover:underline">"← Previous"</a> })}
                {next.map(|href| view! { <a href=href class="font-medium text-amber-700 hover:underline">"Next →"</a> })}
            </span>
        </nav>
    }
}
