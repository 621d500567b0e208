//! The reference for Inti's request benchmarks: a bare axum handler answering a small JSON
//! body, with no middleware, no session and no database. `scripts/bench.sh` runs it beside
//! the release server, in the same run, on the same machine.
//!
//! `cargo build --release --example bare_axum --no-default-features --features ssr`

#[tokio::main]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(3399);
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(|| async { axum::Json(serde_json::json!({ "status": "ok" })) }),
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("the port is free");
    axum::serve(listener, app).await.expect("serving");
}
