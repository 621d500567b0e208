//! Caching of the site's static files. Built with `hash-files`, the bundle's names carry a
//! hash of their content (`inti.3f2a….wasm`): such a file never changes, so browsers keep it
//! for a year without asking again; any other file is revalidated on each use.

use axum::{
    extract::Request,
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};

const FOREVER: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// Whether a file never changes under its name: it carries a content hash, `name.<hash>.ext`,
/// the hash at least 8 alphanumerics (cargo-leptos writes a base64url-like digest). Not the
/// split build's chunk loader (`__wasm_split.<hash>.js`): `scripts/split-manifest.py`
/// rewrites it after the build under the same name, so it is revalidated (a 304 when
/// unchanged) rather than trusted for a year.
fn is_hashed(name: &str) -> bool {
    if name.starts_with("__wasm_split.") {
        return false;
    }
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[parts.len() - 2].len() >= 8
        && parts[parts.len() - 2]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

pub async fn cache_static(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    let Some(name) = path.strip_prefix("/pkg/") else {
        return response;
    };
    if response.status().is_success() && !response.headers().contains_key(header::CACHE_CONTROL) {
        let policy = if is_hashed(name) { FOREVER } else { REVALIDATE };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn only_hashed_names_are_kept_forever() {
        assert!(is_hashed("inti.Gx3uV0kq2mQ.wasm"));
        assert!(is_hashed("inti.abcdef1234.js"));
        assert!(!is_hashed("inti.wasm"));
        assert!(!is_hashed("inti.js"));
        assert!(!is_hashed("inti.min.js"));
        assert!(is_hashed("chunk_22.WQ_rw6GBsCiN.wasm"));
        assert!(!is_hashed("__wasm_split.4XpzodL-2t7Yfhr8NIQKCA.js"));
    }
}
