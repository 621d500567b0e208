//! Text helpers for views.

/// `text` in lower case, by Unicode's rules. In the browser this is JavaScript's own
/// `toLowerCase`: Rust's `str::to_lowercase` would put its Unicode case table (12 KB) into
/// the WASM that every page loads.
pub fn lowercase(text: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        js_sys::JsString::from(text).to_lower_case().into()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        text.to_lowercase()
    }
}
