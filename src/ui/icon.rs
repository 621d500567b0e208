//! Menu icons, drawn from the domain's icon set; unknown names draw the neutral dot.

use leptos::prelude::*;

use crate::domain::menu::icons::path_of;

#[component]
pub fn Icon(
    #[prop(into)] name: Option<String>,
    #[prop(default = "h-4 w-4")] class: &'static str,
) -> impl IntoView {
    view! {
        <svg
            class=class
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            stroke-linecap="round"
            stroke-linejoin="round"
            aria-hidden="true"
        >
            <path d=path_of(name.as_deref()) />
        </svg>
    }
}
