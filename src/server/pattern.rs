//! Value patterns of form schemas (`pattern` on a text field), on the server: compiled by the
//! linear-time regex engine under a size limit, so a schema cannot make a check slow. The
//! browser checks the same patterns with its own RegExp while the user types.

/// Patterns compile with the linear-time engine under a size limit, or are refused.
pub fn server_pattern(p: &str) -> Result<(), String> {
    compile(p).map(|_| ())
}

fn compile(p: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(p)
        .size_limit(256 * 1024)
        .dfa_size_limit(256 * 1024)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => "too complex".to_string(),
            _ => "syntax error".to_string(),
        })
}

/// The server's pattern check for values (see `form::validate`). Compiled patterns are kept
/// per thread (a form post may check one pattern against a thousand items).
pub fn pattern_matches(p: &str, value: &str) -> bool {
    use std::{cell::RefCell, collections::HashMap};
    // Each compiled pattern may hold up to 512 KB (program and search cache): a bounded few.
    const KEPT: usize = 32;
    thread_local! {
        static COMPILED: RefCell<HashMap<String, Option<regex::Regex>>> = RefCell::new(HashMap::new());
    }
    COMPILED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !cache.contains_key(p) {
            if cache.len() >= KEPT {
                cache.clear();
            }
            cache.insert(p.to_string(), compile(p).ok());
        }
        cache
            .get(p)
            .and_then(Option::as_ref)
            .is_some_and(|re| re.is_match(value))
    })
}
