//! Names made from an OpenAPI document's text: labels, slugs, endpoint names, identifiers.

/// `petName` → "Pet name", `pet_name` → "Pet name".
pub(super) fn humanise(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c == '_' || c == '-' {
            out.push(' ');
        } else if c.is_ascii_uppercase() && i > 0 {
            out.push(' ');
            out.push(c.to_ascii_lowercase());
        } else if i == 0 {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Lowercase letters, digits and `-` (service names, menu paths).
pub(super) fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out: String = out.trim_end_matches('-').chars().take(max).collect();
    let out = out.trim_end_matches('-').to_string();
    match out.chars().next() {
        Some(c) if c.is_ascii_lowercase() => out,
        Some(_) => format!("api-{out}"),
        None => "imported-api".into(),
    }
}

/// An endpoint name: letters, digits, `_ - . :`, starting with a letter.
pub(super) fn endpoint_name(raw: &str) -> String {
    let kept: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
        .take(90)
        .collect();
    let kept = kept.trim_start_matches(|c: char| !c.is_ascii_alphabetic());
    kept.trim_end_matches('-').to_string()
}

/// A form field or path parameter name: letters, digits and `_`, starting with a letter.
pub(super) fn identifier(raw: &str) -> String {
    let ok = raw.len() <= 64
        && raw.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        raw.to_string()
    } else {
        String::new()
    }
}

pub(super) fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}
