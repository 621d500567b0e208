//! Ids that cannot be swapped: a user's id is not a tenant's, though both are UUIDs. Where a
//! function takes two of them (`Scope::member(user, tenant)`), passing them the wrong way
//! round does not compile. A bare `Uuid` becomes one where it is read and its meaning is
//! known (a route parameter, `PathId<ServiceId>`; a row's column).

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! ids {
    ($($(#[$meta:meta])* $name:ident,)+) => {
        $(
            $(#[$meta])*
            #[derive(
                Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            )]
            #[serde(transparent)]
            pub struct $name(pub Uuid);

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    self.0.fmt(f)
                }
            }

            // In the API description, a UUID string.
            #[cfg(feature = "ssr")]
            impl utoipa::PartialSchema for $name {
                fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                    use utoipa::openapi::{schema::Type, KnownFormat, ObjectBuilder, SchemaFormat};
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
                        .into()
                }
            }

            #[cfg(feature = "ssr")]
            impl utoipa::ToSchema for $name {}

            impl From<Uuid> for $name {
                fn from(id: Uuid) -> $name {
                    $name(id)
                }
            }

            impl From<$name> for Uuid {
                fn from(id: $name) -> Uuid {
                    id.0
                }
            }
        )+
    };
}

ids! {
    /// An account.
    UserId,
    /// A tenant (CORE or BUSINESS).
    TenantId,
    /// A registered service.
    ServiceId,
}
