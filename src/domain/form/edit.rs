//! The form builder's model: the schema's fields as a tree of nodes with ids that survive
//! renames (a field's name can change while it is selected or dragged), rearranged with the
//! shared tree moves (`domain::tree`). Groups hold fields; nothing else does.

use super::schema::{FieldType, FormField, FormSchema, MAX_DEPTH};
use crate::domain::tree::Node;

#[derive(Debug, Clone, PartialEq)]
pub struct BuilderField {
    pub id: String,
    /// The field without its children (those are `children`).
    pub field: FormField,
    pub children: Vec<BuilderField>,
}

impl Node for BuilderField {
    const MAX_DEPTH: usize = MAX_DEPTH;

    fn id(&self) -> &str {
        &self.id
    }

    fn label(&self) -> String {
        self.field.label.clone()
    }

    fn children(&self) -> &[Self] {
        &self.children
    }

    fn children_mut(&mut self) -> &mut Vec<Self> {
        &mut self.children
    }

    fn refuses_children(&self) -> Option<String> {
        (self.field.field_type != FieldType::Group).then(|| {
            format!(
                "only a group holds fields; \"{}\" is not one",
                self.field.label
            )
        })
    }
}

/// The schema as builder nodes, with ids `f1`, `f2`, ... from `next`.
pub fn nodes(fields: &[FormField], next: &mut u32) -> Vec<BuilderField> {
    fields
        .iter()
        .map(|f| {
            *next += 1;
            let id = format!("f{next}");
            let children = nodes(&f.fields, next);
            BuilderField {
                id,
                field: FormField {
                    fields: Vec::new(),
                    ..f.clone()
                },
                children,
            }
        })
        .collect()
}

/// The nodes as schema fields again.
pub fn fields(nodes: &[BuilderField]) -> Vec<FormField> {
    nodes
        .iter()
        .map(|n| FormField {
            fields: fields(&n.children),
            ..n.field.clone()
        })
        .collect()
}

pub fn schema(nodes: &[BuilderField], base: &FormSchema) -> FormSchema {
    FormSchema {
        fields: fields(nodes),
        ..base.clone()
    }
}

/// A new field of `field_type` whose name is not taken on its level.
pub fn new_field(field_type: FieldType, taken: &[BuilderField]) -> FormField {
    let stem = match field_type {
        FieldType::Section => "section",
        FieldType::Group => "group",
        _ => "field",
    };
    let name = (1..)
        .map(|i| format!("{stem}_{i}"))
        .find(|n| !taken.iter().any(|t| &t.field.name == n))
        .unwrap_or_else(|| stem.to_string());
    let label = match field_type {
        FieldType::Section => "New section".to_string(),
        FieldType::Group => "New group".to_string(),
        t => format!("New {} field", t.as_str()),
    };
    let needs_options = matches!(
        field_type,
        FieldType::Select | FieldType::Multiselect | FieldType::Radio
    );
    FormField {
        name,
        field_type,
        label,
        required: false,
        validation: Default::default(),
        item_type: (field_type == FieldType::Array).then_some(super::schema::ItemType::String),
        options: if needs_options {
            ["Option 1", "Option 2"]
                .iter()
                .map(|o| super::schema::FieldOption {
                    value: o.to_ascii_lowercase().replace(' ', "_"),
                    label: o.to_string(),
                })
                .collect()
        } else {
            Vec::new()
        },
        fields: Vec::new(),
        placeholder: None,
        help: None,
        default: None,
        show_if: None,
        required_if: None,
        width: None,
    }
}

/// The value path (`address.city`) of node `id`.
pub fn value_path(nodes: &[BuilderField], id: &str) -> Option<String> {
    let chain = crate::domain::tree::chain(nodes, id);
    (!chain.is_empty()).then(|| {
        chain
            .iter()
            .map(|n| n.field.name.as_str())
            .collect::<Vec<_>>()
            .join(".")
    })
}

/// The node a schema error's path (`schema.fields[2].fields[0].validation.pattern`) is
/// about, if it names one.
pub fn node_at_error<'a>(nodes: &'a [BuilderField], path: &str) -> Option<&'a BuilderField> {
    let mut level = nodes;
    let mut found = None;
    let mut rest = path;
    while let Some(i) = rest.find("fields[") {
        rest = &rest[i + 7..];
        let end = rest.find(']')?;
        let index: usize = rest[..end].parse().ok()?;
        let node = level.get(index)?;
        found = Some(node);
        level = &node.children;
        rest = &rest[end..];
    }
    found
}
