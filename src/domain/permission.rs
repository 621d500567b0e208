//! Permissions: `resource:action[:scope]`, or `*` alone.
//!
//! Segments are lowercase identifiers (`[a-z][a-z0-9_-]*`) or `*` as a whole segment.
//! A granted permission *covers* a required one when:
//! - it is `*`: it covers everything;
//! - its resource is `*` or equal, and its action is `*` or equal (`*:read` covers reading
//!   any resource and never a write; `task:*` covers every task action, no other resource);
//! - it has no scope (it covers every scope: `task:read` covers `task:read:own`), or its scope
//!   is `*` or equal to the required scope (a scoped grant covers only that scope, and never
//!   the unscoped permission).
//!
//! A wildcard in a *required* permission is literal: only a grant with `*` in that position
//! covers it (holding `task:read` does not satisfy a requirement of `task:*`).

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::domain::error::AppError;

pub const MAX_LEN: usize = 200;
const WILDCARD: &str = "*";

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Permission {
    resource: String,
    action: String,
    scope: Option<String>,
}

/// In the API description: `resource:action[:scope]`, each part a name or `*`.
#[cfg(feature = "ssr")]
impl utoipa::PartialSchema for Permission {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .max_length(Some(MAX_LEN))
            .examples(["task:read", "task:update:own", "*:read"])
            .into()
    }
}

#[cfg(feature = "ssr")]
impl utoipa::ToSchema for Permission {}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PermissionError {
    #[error("permission is empty")]
    Empty,
    #[error("permission is longer than {MAX_LEN} characters")]
    TooLong,
    #[error("\"{0}\" must have the form resource:action or resource:action:scope")]
    Shape(String),
    #[error("\"{segment}\" in \"{permission}\" must be * or a lowercase identifier (a-z, 0-9, _ or -, starting with a letter)")]
    Segment { permission: String, segment: String },
}

impl From<PermissionError> for AppError {
    fn from(e: PermissionError) -> Self {
        AppError::validation("permissions", e.to_string())
    }
}

fn valid_segment(s: &str) -> bool {
    s == WILDCARD || {
        let mut chars = s.chars();
        matches!(chars.next(), Some('a'..='z'))
            && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_' | '-'))
    }
}

impl FromStr for Permission {
    type Err = PermissionError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(PermissionError::Empty);
        }
        if s.len() > MAX_LEN {
            return Err(PermissionError::TooLong);
        }
        if s == WILDCARD {
            return Ok(Self::all());
        }
        let parts: Vec<&str> = s.split(':').collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(PermissionError::Shape(s.to_string()));
        }
        if let Some(bad) = parts.iter().find(|p| !valid_segment(p)) {
            return Err(PermissionError::Segment {
                permission: s.to_string(),
                segment: (*bad).to_string(),
            });
        }
        Ok(Self {
            resource: parts[0].to_string(),
            action: parts[1].to_string(),
            scope: parts.get(2).map(|p| (*p).to_string()),
        })
    }
}

impl TryFrom<String> for Permission {
    type Error = PermissionError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Permission> for String {
    fn from(p: Permission) -> Self {
        p.to_string()
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all() {
            return f.write_str(WILDCARD);
        }
        write!(f, "{}:{}", self.resource, self.action)?;
        if let Some(scope) = &self.scope {
            write!(f, ":{scope}")?;
        }
        Ok(())
    }
}

fn segment_covers(granted: &str, required: &str) -> bool {
    granted == WILDCARD || granted == required
}

impl Permission {
    /// `*`: every permission.
    pub fn all() -> Self {
        Self {
            resource: WILDCARD.into(),
            action: WILDCARD.into(),
            scope: None,
        }
    }

    pub fn is_all(&self) -> bool {
        self.resource == WILDCARD && self.action == WILDCARD && self.scope.is_none()
    }

    pub fn resource(&self) -> &str {
        &self.resource
    }

    pub fn action(&self) -> &str {
        &self.action
    }

    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// Whether holding `self` is enough for `required` (see the module documentation).
    pub fn covers(&self, required: &Permission) -> bool {
        segment_covers(&self.resource, &required.resource)
            && segment_covers(&self.action, &required.action)
            && match (&self.scope, &required.scope) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(g), Some(r)) => segment_covers(g, r),
            }
    }
}

/// The permissions someone holds, parsed once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionSet(Vec<Permission>);

impl PermissionSet {
    /// Parses stored permission strings, skipping (and so never honouring) malformed ones.
    pub fn from_strings<I, S>(raw: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Self(
            raw.into_iter()
                .filter_map(|s| s.as_ref().parse().ok())
                .collect(),
        )
    }

    pub fn covers(&self, required: &Permission) -> bool {
        self.0.iter().any(|g| g.covers(required))
    }

    /// Convenience for constant requirements; a malformed requirement is never granted.
    pub fn allows(&self, required: &str) -> bool {
        required.parse().is_ok_and(|p| self.covers(&p))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Permission> {
        self.0.iter()
    }

    pub fn to_strings(&self) -> Vec<String> {
        self.0.iter().map(ToString::to_string).collect()
    }
}

/// The permissions the code checks, by name: a misspelt name does not compile, and each is
/// parsed once, on first use (a test parses them all).
pub mod perm {
    use std::sync::LazyLock;

    use super::Permission;

    macro_rules! permissions {
        ($($name:ident => $text:literal,)+) => {
            $(pub static $name: LazyLock<Permission> =
                LazyLock::new(|| $text.parse().expect($text));)+
            /// Every one of them, as written.
            pub const ALL: &[&str] = &[$($text,)+];
        };
    }

    permissions! {
    AUDIT_READ => "audit:read",
    DASHBOARD_VIEW => "dashboard:view",
    MENU_CREATE => "menu:create",
    MENU_READ => "menu:read",
    MENU_UPDATE => "menu:update",
    ROLE_MANAGE => "role:manage",
    ROLE_READ => "role:read",
    SERVICE_ASSIGN => "service:assign",
    SERVICE_DELETE => "service:delete",
    SERVICE_READ => "service:read",
    SERVICE_REGISTER => "service:register",
    SERVICE_UPDATE => "service:update",
    TENANT_CREATE => "tenant:create",
    TENANT_READ => "tenant:read",
    TENANT_UPDATE => "tenant:update",
    USER_MANAGE => "user:manage",
    USER_READ => "user:read",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> Permission {
        s.parse().unwrap()
    }

    #[test]
    fn the_named_permissions_parse_and_read_back() {
        for text in perm::ALL {
            assert_eq!(p(text).to_string(), *text);
        }
        assert_eq!(perm::SERVICE_UPDATE.to_string(), "service:update");
    }

    fn covers(g: &str, r: &str) -> bool {
        p(g).covers(&p(r))
    }

    #[test]
    fn parses_and_prints() {
        for s in [
            "*",
            "task:read",
            "task:read:own",
            "*:read",
            "task:*",
            "user_admin:do-it:team_1",
        ] {
            assert_eq!(p(s).to_string(), s);
        }
        assert_eq!(p(" task:read ").to_string(), "task:read");
    }

    #[test]
    fn rejects_malformed_permissions_with_clear_errors() {
        assert_eq!("".parse::<Permission>(), Err(PermissionError::Empty));
        assert!(matches!(
            "task".parse::<Permission>(),
            Err(PermissionError::Shape(_))
        ));
        assert!(matches!(
            "a:b:c:d".parse::<Permission>(),
            Err(PermissionError::Shape(_))
        ));
        for bad in [
            "Task:read",
            "task:re*d",
            "task::read",
            "1task:read",
            "task:read:",
            "tä:read",
        ] {
            let err = bad.parse::<Permission>().unwrap_err();
            assert!(
                matches!(err, PermissionError::Segment { .. }),
                "{bad}: {err}"
            );
        }
        assert_eq!(
            "a:".repeat(150).parse::<Permission>(),
            Err(PermissionError::TooLong)
        );
        let err: AppError = "task".parse::<Permission>().unwrap_err().into();
        assert!(matches!(err, AppError::Validation { ref field, .. } if field == "permissions"));
    }

    #[test]
    fn star_covers_everything() {
        for r in ["task:read", "task:read:own", "*:read", "task:*", "*"] {
            assert!(covers("*", r), "{r}");
        }
    }

    #[test]
    fn resource_wildcard_action() {
        assert!(covers("task:*", "task:read"));
        assert!(covers("task:*", "task:delete:own"));
        assert!(!covers("task:*", "user:read"));
    }

    #[test]
    fn action_wildcard_resource() {
        assert!(covers("*:read", "task:read"));
        assert!(covers("*:read", "user:read:own"));
        assert!(!covers("*:read", "task:create"));
        assert!(!covers("*:read", "task:update"));
    }

    #[test]
    fn scopes() {
        assert!(covers("task:read", "task:read:own"));
        assert!(covers("task:read:own", "task:read:own"));
        assert!(!covers("task:read:own", "task:read"));
        assert!(!covers("task:read:own", "task:read:team"));
        assert!(covers("task:read:*", "task:read:team"));
        assert!(!covers("task:read:*", "task:read"));
    }

    #[test]
    fn wildcards_in_requirements_are_literal() {
        assert!(!covers("task:read", "task:*"));
        assert!(!covers("task:*", "*"));
        assert!(covers("task:*", "task:*"));
    }

    #[test]
    fn sets() {
        let set = PermissionSet::from_strings(["task:read", "not valid", "user:*"]);
        assert!(set.allows("task:read:own"));
        assert!(set.allows("user:delete"));
        assert!(!set.allows("task:create"));
        assert!(!set.allows("garbage"));
        assert_eq!(set.to_strings(), ["task:read", "user:*"]);
    }

    fn segment() -> impl Strategy<Value = String> {
        prop_oneof![
            1 => Just("*".to_string()),
            4 => prop::sample::select(vec!["task", "user", "read", "own", "team", "create"]).prop_map(str::to_string),
        ]
    }

    fn permission() -> impl Strategy<Value = Permission> {
        prop_oneof![
            1 => Just(Permission::all()),
            8 => (segment(), segment(), prop::option::of(segment())).prop_map(|(r, a, s)| {
                let text = match s {
                    Some(s) => format!("{r}:{a}:{s}"),
                    None => format!("{r}:{a}"),
                };
                text.parse().unwrap()
            }),
        ]
    }

    proptest! {
        #[test]
        fn reflexive(a in permission()) {
            prop_assert!(a.covers(&a));
        }

        #[test]
        fn transitive(a in permission(), b in permission(), c in permission()) {
            if a.covers(&b) && b.covers(&c) {
                prop_assert!(a.covers(&c));
            }
        }

        #[test]
        fn star_is_top(a in permission()) {
            prop_assert!(Permission::all().covers(&a));
            if !a.is_all() {
                prop_assert!(!a.covers(&Permission::all()) || a.resource() == "*" && a.action() == "*" && a.scope().is_none());
            }
        }

        #[test]
        fn never_crosses_concrete_resources_or_actions(a in permission(), b in permission()) {
            if a.covers(&b) {
                prop_assert!(a.resource() == "*" || a.resource() == b.resource());
                prop_assert!(a.action() == "*" || a.action() == b.action());
            }
        }

        #[test]
        fn scoped_never_covers_unscoped(a in permission(), b in permission()) {
            if a.scope().is_some() && b.scope().is_none() {
                prop_assert!(!a.covers(&b));
            }
        }

        #[test]
        fn display_round_trips(a in permission()) {
            prop_assert_eq!(a.to_string().parse::<Permission>().unwrap(), a);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = s.parse::<Permission>();
        }
    }
}
