//! Pure rules and shared types. No IO: this module compiles for the server and for WASM,
//! so the browser and the server agree on shapes and validation.

pub mod account;
pub mod audit;
pub mod closed_set;
pub mod command;
pub mod dashboard;
pub mod error;
pub mod form;
pub mod id;
pub mod identity;
pub mod invitation;
pub mod line_diff;
pub mod login;
pub mod member;
pub mod menu;
pub mod notification;
pub mod paging;
pub mod permission;
pub mod role;
pub mod service;
pub mod task;
pub mod tenant;
pub mod tree;
pub mod two_factor;
