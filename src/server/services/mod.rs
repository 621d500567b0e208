//! Use cases. Each takes the state and (when acting for someone) an `Actor`, decides
//! authorization, and runs its queries; handlers and server functions stay thin.

pub mod access;
pub mod account;
pub mod account_links;
pub mod audit;
pub mod auth;
pub mod builtin_services;
pub mod dashboard;
pub mod demo;
pub mod forms;
pub mod invitations;
pub mod load;
pub mod lockout;
pub mod members;
pub mod menus;
pub mod notifications;
pub mod openapi;
pub mod registry;
pub mod roles;
pub mod service_pages;
pub mod tasks;
pub mod tenants;
pub mod users;
pub mod webhooks;
