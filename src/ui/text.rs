//! Text helpers for views.

/// The first content of a `<textarea>`, as HTML for `inner_html`. The renderer writes a
/// textarea's children into the server's HTML unescaped (a value holding `</textarea>` would
/// end the element), so every textarea takes its text through here instead: escaped, it is
/// decoded back to the same text by the browser's parser (server HTML) and by `innerHTML`
/// (client rendering), and hydration leaves it alone.
pub fn textarea_html(value: &str) -> String {
    html_escape::encode_text(value).into_owned()
}

/// A page title for the document's `<title>`. leptos_meta writes the title into the server's
/// `<head>` unescaped; in the browser it sets `document.title`, which is plain text already.
pub fn title_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    {
        html_escape::encode_text(&text).into_owned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        text
    }
}

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
