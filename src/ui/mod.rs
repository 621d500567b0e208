//! Pages and components. Views only: data comes from server functions in `api`.

use std::future::Future;

use leptos::{
    prelude::*,
    server::codee::{Decoder, Encoder},
};
use serde::{de::DeserializeOwned, Serialize};

pub mod account;
pub mod accounts;
pub mod audit;
pub mod dashboard;
pub mod dnd;
pub mod form;
pub mod form_builder;
pub mod forms;
pub mod generated_form;
pub mod icon;
pub mod layout;
pub mod login;
pub mod menus;
pub mod not_found;
pub mod notifications;
pub mod own_tenant;
pub mod pager;
pub mod recovery;
pub mod roles;
pub mod service_page;
pub mod services;
pub mod sidebar_menu;
pub mod task_board;
pub mod tasks;
pub mod tenant_switcher;
pub mod tenants;
pub mod text;
pub mod time;
pub mod two_factor;
pub mod users;

/// True once the page runs in the browser (effects never run on the server). Pages show it
/// as `data-hydrated="true"`, so that tests know the controls respond before they use them.
pub fn hydration_flag() -> RwSignal<bool> {
    let hydrated = RwSignal::new(false);
    Effect::new(move || hydrated.set(true));
    hydrated
}

/// How a page's server data travels from the server's render to the browser: JSON, read
/// with `serde_json::from_slice`, as server_fn reads server function answers. Leptos' default
/// codec reads with `from_str`, a second reader type: every answer type then had two JSON
/// deserializers in the WASM, one for each path (about a tenth of the bundle).
pub struct Json;

impl<T: Serialize> Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(text: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(text.as_bytes())
    }
}

/// `Resource::new` with the [`Json`] codec: loaded on the server with the page, read in the
/// browser without loading again, and loaded anew when `source` changes.
///
/// Read it only by awaiting it inside `Suspend::new` in its `Suspense`/`Transition`, never
/// with `.get()`/`.with()`: a resource read reactively is tracked by every boundary above the
/// read, and resources shared by nested boundaries that way make server rendering spin for
/// seconds or deadlock its worker threads (leptos-rs/leptos#4578, #4673;
/// `tests/page_renders.rs`).
#[track_caller]
pub fn resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, Json>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}
