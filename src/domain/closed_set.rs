//! Closed sets of values (statuses, tiers, types, role names, audit actions) as enums. One
//! macro declares each: the variants, their stored upper-case strings and the list of all of
//! them come from the same lines, so strings appear only at the edges (database, JSON, forms).

/// `closed_set! { /// doc \n pub enum Name { Variant => "STORED", ... } }` gives the enum,
/// `Name::ALL`, `as_str`, `parse` (trimmed, case-insensitive) and `parse_field`, whose error
/// names the field and lists the choices; on the server, the enum is also a `Text` column
/// type for diesel (written as its string, read back through `parse`).
#[macro_export]
macro_rules! closed_set {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident => $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(
            feature = "ssr",
            derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow),
            diesel(sql_type = diesel::sql_types::Text)
        )]
        pub enum $name {
            $($variant,)+
        }

        #[cfg(feature = "ssr")]
        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg>>::to_sql(
                    self.as_str(),
                    out,
                )
            }
        }

        #[cfg(feature = "ssr")]
        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn from_sql(value: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    diesel::pg::Pg,
                >>::from_sql(value)?;
                Self::parse(&text).ok_or_else(|| {
                    format!("{text:?} is not a {}", stringify!($name)).into()
                })
            }
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The stored and displayed string.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                let raw = raw.trim();
                Self::ALL.iter().copied().find(|v| v.as_str().eq_ignore_ascii_case(raw))
            }

            /// `parse`, or a validation error for `field` listing the choices.
            pub fn parse_field(
                field: &str,
                raw: &str,
            ) -> Result<Self, $crate::domain::error::AppError> {
                Self::parse(raw).ok_or_else(|| {
                    let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    let choices = match names.split_last() {
                        Some((last, [])) => (*last).to_string(),
                        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                        None => String::new(),
                    };
                    $crate::domain::error::AppError::validation(field, format!("Choose {choices}"))
                })
            }
        }

        // In the API description, the set is a string with these values.
        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some(Self::ALL.iter().map(|v| v.as_str())))
                    .into()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::domain::error::AppError;

    crate::closed_set! {
        /// A test set.
        pub enum Colour {
            Red => "RED",
            Green => "GREEN",
            Blue => "BLUE",
        }
    }

    #[test]
    fn parses_lists_and_names_the_field() {
        assert_eq!(Colour::parse(" green "), Some(Colour::Green));
        assert_eq!(Colour::ALL.len(), 3);
        assert_eq!(Colour::Blue.to_string(), "BLUE");
        assert_eq!(
            Colour::parse_field("colour", "pink"),
            Err(AppError::validation("colour", "Choose RED, GREEN or BLUE"))
        );
    }
}
