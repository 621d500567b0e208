//! Inti: a multi-tenant core platform. One crate builds the server (`ssr`) and the
//! hydrated browser app (`hydrate`). Layers, from the outside in:
//! `ui` -> `api` (server functions) and `server::http` (REST) -> `server::services` ->
//! `server::db`; `domain` is pure and shared by both sides.

#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod domain;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy pages (see `app`) load their WASM chunk before they hydrate.
    leptos::mount::hydrate_lazy(app::App);
}
