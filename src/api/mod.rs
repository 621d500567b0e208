//! Server functions: the browser's typed calls into the services. Thin on purpose: resolve
//! the actor from the cookie session, call one service, return its result.

pub mod account;
pub mod audit;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod context;
pub mod dashboard;
pub mod forms;
pub mod links;
pub mod menus;
pub mod notifications;
pub mod roles;
pub mod service_pages;
pub mod services;
pub mod tasks;
pub mod tenants;
pub mod two_factor;
pub mod users;
