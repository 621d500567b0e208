//! Server-only code (the `ssr` feature): configuration, database, auth, services, HTTP, CLI.

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo_whatsapp;
pub mod error;
pub mod gateway;
pub mod http;
pub mod keyring;
pub mod lifecycle;
pub mod mail;
pub mod metrics;
pub mod notification_hub;
pub mod outbound;
pub mod pattern;
pub mod redis_pool;
pub mod secret;
pub mod services;
pub mod spawner;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod time_zones;
