//! Pages and components. Views only: data comes from server functions in `api`.

use leptos::prelude::*;

pub mod account;
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
pub mod roles;
pub mod service_page;
pub mod services;
pub mod sidebar_menu;
pub mod task_board;
pub mod tasks;
pub mod tenant_switcher;
pub mod tenants;
pub mod users;

/// True once the page runs in the browser (effects never run on the server). Pages show it
/// as `data-hydrated="true"`, so that tests know the controls respond before they use them.
pub fn hydration_flag() -> RwSignal<bool> {
    let hydrated = RwSignal::new(false);
    Effect::new(move || hydrated.set(true));
    hydrated
}
