use proptest::prelude::*;
use serde_json::json;

use super::{
    diff::diff,
    layout::{find, Layout, LayoutOp},
    tree::{
        assemble, core_items, visible, walk, MenuItemView, MenuNode, ServiceMenu, Viewer, MAX_DEPTH,
    },
};
use crate::domain::{
    permission::PermissionSet,
    service::{menu::MenuSchema, reader::JsonPath},
};

fn whatsapp(maintenance: bool) -> ServiceMenu {
    let schema = MenuSchema::parse(
        &json!({"items": [
            {"name": "Blast Message", "path": "/whatsapp/blast", "icon": "send", "permission": "whatsapp:blast"},
            {"name": "Message History", "path": "/whatsapp/history", "icon": "history", "permission": "whatsapp:read"}
        ]}),
        JsonPath::root("menuSchema"),
    )
    .unwrap();
    ServiceMenu {
        name: "whatsapp-gateway".into(),
        display_name: "WhatsApp Gateway".into(),
        maintenance,
        down: false,
        schema,
        custom: None,
        sort_order: 10,
        access: None,
        external: true,
    }
}

fn layout(v: serde_json::Value) -> Layout {
    Layout::parse(&v, JsonPath::root("layout")).unwrap()
}

fn perms(p: &[&str]) -> PermissionSet {
    PermissionSet::from_strings(p)
}

fn ids(nodes: &[MenuNode]) -> Vec<String> {
    walk(nodes).into_iter().map(|(n, _)| n.id.clone()).collect()
}

fn see(tree: &[MenuNode], p: &[&str]) -> Vec<String> {
    let set = perms(p);
    ids(&visible(
        tree,
        Viewer {
            permissions: &set,
            platform: false,
        },
    ))
}

#[test]
fn a_service_group_holds_its_items_and_permissions_filter_them() {
    let (tree, skipped) = assemble(core_items(false), &[whatsapp(false)], &[]);
    assert!(skipped.is_empty());
    assert_eq!(
        see(&tree, &["whatsapp:read"]),
        [
            "core.dashboard",
            "whatsapp-gateway",
            "whatsapp-gateway.whatsapp-history"
        ]
    );
    // Wildcards as in the permission algebra.
    assert!(see(&tree, &["whatsapp:*"]).contains(&"whatsapp-gateway.whatsapp-blast".to_string()));
    assert!(see(&tree, &["*:read"]).contains(&"core.audit".to_string()));
    assert!(!see(&tree, &["*:read"]).contains(&"whatsapp-gateway.whatsapp-blast".to_string()));
    // Nothing of the service, no empty group.
    assert_eq!(see(&tree, &["task:read"]), ["core.dashboard"]);
}

#[test]
fn platform_pages_need_the_core_tenant_and_platform_authority() {
    let (business, _) = assemble(core_items(false), &[], &[]);
    assert!(find(&business, "core.tenants").is_none());
    let (core, _) = assemble(core_items(true), &[], &[]);
    let all = perms(&["*"]);
    let as_member = ids(&visible(
        &core,
        Viewer {
            permissions: &all,
            platform: false,
        },
    ));
    assert!(!as_member.contains(&"core.tenants".to_string()));
    let as_admin = ids(&visible(
        &core,
        Viewer {
            permissions: &all,
            platform: true,
        },
    ));
    assert!(as_admin.contains(&"core.tenants".to_string()));
}

#[test]
fn maintenance_marks_the_service_items() {
    let (tree, _) = assemble(core_items(false), &[whatsapp(true)], &[]);
    assert!(
        find(&tree, "whatsapp-gateway.whatsapp-blast")
            .unwrap()
            .maintenance
    );
    assert!(!find(&tree, "core.dashboard").unwrap().maintenance);
}

#[test]
fn a_service_that_is_down_marks_its_group_and_items() {
    let down = ServiceMenu {
        down: true,
        ..whatsapp(false)
    };
    let (tree, _) = assemble(core_items(false), &[down], &[]);
    let view: Vec<MenuItemView> = tree.iter().map(MenuItemView::from).collect();
    let group = view.iter().find(|v| v.id == "whatsapp-gateway").unwrap();
    assert!(group.down && group.children.iter().all(|c| c.down));
    assert!(!view.iter().find(|v| v.id == "core.dashboard").unwrap().down);
    // Only a service that is down says so in the seed document's shape.
    let json = serde_json::to_value(&view).unwrap();
    let item = |id: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|v| v["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(item("core.dashboard").get("down"), None);
    assert_eq!(item("whatsapp-gateway")["down"], true);
}

#[test]
fn layouts_move_rename_hide_and_add_and_report_what_they_skip() {
    let tenant = layout(json!({"operations": [
        {"op": "addGroup", "id": "custom.messaging", "name": "Messaging", "icon": "message", "position": 5},
        {"op": "move", "id": "whatsapp-gateway.whatsapp-history", "parent": "custom.messaging", "position": 1},
        {"op": "rename", "id": "whatsapp-gateway.whatsapp-blast", "name": "Send a blast"},
        {"op": "hide", "id": "core.audit"},
        {"op": "addLink", "id": "custom.help", "name": "Help", "url": "https://example.com/help", "position": 2},
        {"op": "rename", "id": "gone-service.item", "name": "Nothing"}
    ]}));
    let (tree, skipped) = assemble(
        core_items(false),
        &[whatsapp(false)],
        &[("tenant", &tenant)],
    );
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].id, "gone-service.item");
    assert_eq!(skipped[0].layout, "tenant");
    let everything = see(&tree, &["*"]);
    assert_eq!(
        &everything[..5],
        [
            "core.dashboard",
            "custom.help",
            "custom.messaging",
            "whatsapp-gateway.whatsapp-history",
            "whatsapp-gateway"
        ]
    );
    assert!(!everything.contains(&"core.audit".to_string()));
    assert_eq!(
        find(&tree, "whatsapp-gateway.whatsapp-blast").unwrap().name,
        "Send a blast"
    );
}

#[test]
fn an_assignment_layout_touches_its_own_service_only() {
    let mut service = whatsapp(false);
    service.custom = Some(layout(json!({"operations": [
        {"op": "hide", "id": "whatsapp-gateway.whatsapp-blast"},
        {"op": "hide", "id": "core.users"}
    ]})));
    let (tree, skipped) = assemble(core_items(false), &[service], &[]);
    assert!(
        find(&tree, "whatsapp-gateway.whatsapp-blast")
            .unwrap()
            .hidden
    );
    assert!(!find(&tree, "core.users").unwrap().hidden);
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].layout, "service:whatsapp-gateway");
}

#[test]
fn moves_that_would_nest_too_deep_or_into_themselves_are_skipped() {
    let l = layout(json!({"operations": [
        {"op": "move", "id": "core.admin", "parent": "whatsapp-gateway.whatsapp-blast", "position": 1},
        {"op": "move", "id": "whatsapp-gateway", "parent": "whatsapp-gateway.whatsapp-blast", "position": 1}
    ]}));
    let (tree, skipped) = assemble(core_items(false), &[whatsapp(false)], &[("tenant", &l)]);
    assert_eq!(skipped.len(), 2);
    assert!(
        skipped[0].reason.contains("3 levels"),
        "{}",
        skipped[0].reason
    );
    assert!(
        skipped[1].reason.contains("itself"),
        "{}",
        skipped[1].reason
    );
    assert!(walk(&tree).iter().all(|(_, d)| *d <= MAX_DEPTH));
}

#[test]
fn bad_layouts_are_refused_at_their_json_path() {
    let refuse = |v: serde_json::Value| {
        Layout::parse(&v, JsonPath::root("layout"))
            .unwrap_err()
            .field()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        refuse(
            json!({"operations": [{"op": "addLink", "id": "custom.x", "name": "X", "url": "javascript:alert(1)", "position": 1}]})
        ),
        "layout.operations[0].url"
    );
    assert_eq!(
        refuse(
            json!({"operations": [{"op": "addGroup", "id": "core.x", "name": "X", "position": 1}]})
        ),
        "layout.operations[0].id"
    );
    assert_eq!(
        refuse(json!({"operations": [{"op": "hide", "id": "x"}, {"op": "explode", "id": "x"}]})),
        "layout.operations[1].op"
    );
    assert_eq!(
        refuse(json!({"operations": [{"op": "rename", "id": "x", "name": "  "}]})),
        "layout.operations[0].name"
    );
    assert_eq!(
        refuse(json!({"operations": [{"op": "move", "id": "x"}]})),
        "layout.operations[0].position"
    );
    assert_eq!(refuse(json!({"ops": []})), "layout.ops");
}

#[test]
fn a_layout_reads_back_from_its_own_json() {
    let l = layout(json!({"operations": [
        {"op": "move", "id": "a", "parent": null, "position": 3},
        {"op": "addLink", "id": "custom.x", "name": "X", "url": "https://x.example", "position": 1}
    ]}));
    let again = Layout::parse(&serde_json::to_value(&l).unwrap(), JsonPath::root("l")).unwrap();
    assert_eq!(l, again);
}

// ---- properties ----

const POOL: &[&str] = &[
    "core.dashboard",
    "core.admin",
    "core.users",
    "core.audit",
    "core.menus",
    "whatsapp-gateway",
    "whatsapp-gateway.whatsapp-blast",
    "whatsapp-gateway.whatsapp-history",
    "tasks",
    "tasks.list",
    "tasks.list-mine",
    "tasks.board",
    "custom.g1",
    "custom.g2",
    "custom.l1",
    "nowhere",
];

fn tasks() -> ServiceMenu {
    let schema = MenuSchema::parse(
        &json!({"items": [
            {"id": "list", "name": "All", "path": "/tasks", "permission": "task:read",
             "children": [{"id": "list-mine", "name": "Mine", "path": "/tasks/mine", "permission": "task:read:own"}]},
            {"id": "board", "name": "Board", "path": "/tasks/board", "permission": "task:update"}
        ]}),
        JsonPath::root("menuSchema"),
    )
    .unwrap();
    ServiceMenu {
        name: "tasks".into(),
        display_name: "Tasks".into(),
        maintenance: false,
        down: false,
        schema,
        custom: None,
        sort_order: 11,
        // RESTRICTED: its access permission goes with every item, wherever a layout puts it.
        access: Some("service:access:tasks".parse().unwrap()),
        external: false,
    }
}

fn any_id() -> impl Strategy<Value = String> {
    prop::sample::select(POOL).prop_map(str::to_string)
}

fn any_parent() -> impl Strategy<Value = Option<String>> {
    prop::option::of(any_id())
}

fn any_op() -> impl Strategy<Value = LayoutOp> {
    prop_oneof![
        (any_id(), any_parent(), -3i32..30).prop_map(|(id, parent, position)| LayoutOp::Move {
            id,
            parent,
            position
        }),
        (any_id(), "[A-Z][a-z]{1,6}").prop_map(|(id, name)| LayoutOp::Rename { id, name }),
        any_id().prop_map(|id| LayoutOp::Hide { id }),
        any_id().prop_map(|id| LayoutOp::Show { id }),
        (any_id(), prop::sample::select(&["send", "list", "dot"][..])).prop_map(|(id, icon)| {
            LayoutOp::Icon {
                id,
                icon: icon.into(),
            }
        }),
        (
            prop::sample::select(&["custom.g1", "custom.g2"][..]),
            any_parent(),
            0i32..30
        )
            .prop_map(|(id, parent, position)| LayoutOp::AddGroup {
                id: id.into(),
                name: "Group".into(),
                icon: None,
                parent,
                position
            }),
        (any_parent(), 0i32..30).prop_map(|(parent, position)| LayoutOp::AddLink {
            id: "custom.l1".into(),
            name: "Link".into(),
            url: "https://example.com".into(),
            icon: None,
            parent,
            position
        }),
    ]
}

fn any_layout() -> impl Strategy<Value = Layout> {
    prop::collection::vec(any_op(), 0..25).prop_map(|operations| Layout { operations })
}

fn any_perms() -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(
        prop::sample::select(
            &[
                "task:read",
                "task:read:own",
                "task:*",
                "*:read",
                "whatsapp:blast",
                "user:read",
                "menu:update",
                "audit:read",
                "*",
            ][..],
        ),
        0..4,
    )
}

fn base() -> Vec<MenuNode> {
    assemble(core_items(false), &[whatsapp(false), tasks()], &[]).0
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn users_see_only_what_they_may_with_unique_ids_and_bounded_depth(
        global in any_layout(), tenant in any_layout(), p in any_perms()
    ) {
        let (tree, _) = assemble(core_items(false), &[whatsapp(false), tasks()], &[("global", &global), ("tenant", &tenant)]);
        let set = perms(&p);
        let seen = visible(&tree, Viewer { permissions: &set, platform: false });
        let all = walk(&seen);
        let mut unique: Vec<&str> = all.iter().map(|(n, _)| n.id.as_str()).collect();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), all.len());
        for (node, depth) in &all {
            prop_assert!(*depth <= MAX_DEPTH);
            prop_assert!(!node.hidden);
            for required in [&node.permission, &node.access].into_iter().flatten() {
                prop_assert!(set.covers(required));
            }
            prop_assert!(!node.group || !node.children.is_empty());
            // Sorted stably: sort orders never decrease among siblings.
            prop_assert!(node.children.windows(2).all(|w| w[0].sort_order <= w[1].sort_order));
        }
        prop_assert!(seen.windows(2).all(|w| w[0].sort_order <= w[1].sort_order));
    }

    #[test]
    fn applying_a_layout_twice_equals_applying_it_once(l in any_layout()) {
        let mut once = base();
        l.apply("tenant", &mut once);
        let mut twice = once.clone();
        l.apply("tenant", &mut twice);
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn the_editors_diff_reproduces_what_it_shows(l in any_layout()) {
        let start = base();
        let mut edited = start.clone();
        l.apply("tenant", &mut edited);
        let mut replayed = start.clone();
        let skipped = diff(&start, &edited).apply("tenant", &mut replayed);
        prop_assert!(skipped.is_empty(), "{:?}", skipped);
        prop_assert_eq!(ids(&replayed), ids(&edited));
        prop_assert_eq!(replayed, edited);
    }
}

// ---- the editor's moves ----

mod editing {
    use super::*;
    use crate::domain::tree::{place, step, Placement, Step};

    fn order(nodes: &[MenuNode]) -> Vec<&str> {
        nodes.iter().map(|n| n.id.as_str()).collect()
    }

    #[test]
    fn a_drop_lands_before_after_or_inside_and_renumbers_its_level() {
        let mut tree = base();
        place(&mut tree, "tasks.board", "tasks.list", Placement::Before).unwrap();
        let group = find(&tree, "tasks").unwrap();
        assert_eq!(order(&group.children), ["tasks.board", "tasks.list"]);
        assert_eq!(
            group
                .children
                .iter()
                .map(|n| n.sort_order)
                .collect::<Vec<_>>(),
            [10, 20]
        );
        place(
            &mut tree,
            "tasks.board",
            "whatsapp-gateway",
            Placement::Inside,
        )
        .unwrap();
        assert_eq!(
            find(&tree, "whatsapp-gateway")
                .unwrap()
                .children
                .last()
                .unwrap()
                .id,
            "tasks.board"
        );
        place(&mut tree, "tasks.board", "core.dashboard", Placement::After).unwrap();
        assert_eq!(order(&tree)[..2], ["core.dashboard", "tasks.board"]);
    }

    #[test]
    fn a_drop_never_nests_too_deep_into_itself_or_under_a_link() {
        let mut tree = base();
        let before = tree.clone();
        // tasks.list has a child: inside tasks.list-mine it would be four levels deep.
        assert!(place(&mut tree, "tasks", "tasks.list-mine", Placement::Inside).is_err());
        assert!(place(&mut tree, "core.admin", "tasks.list", Placement::Inside).is_err());
        assert!(place(&mut tree, "tasks", "tasks", Placement::Before).is_err());
        assert_eq!(tree, before, "a refused drop changes nothing");
    }

    #[test]
    fn keyboard_steps_move_one_place_and_say_where() {
        let mut tree = base();
        assert_eq!(
            step(&mut tree, "tasks.board", Step::Up).unwrap(),
            "Moved above All"
        );
        assert_eq!(
            step(&mut tree, "tasks.board", Step::Up).unwrap_err(),
            "Already first in its group"
        );
        assert_eq!(
            step(&mut tree, "tasks.board", Step::Out).unwrap(),
            "Moved out of Tasks"
        );
        assert_eq!(parent_of_id(&tree, "tasks.board"), None);
        assert_eq!(
            step(&mut tree, "tasks.board", Step::In).unwrap(),
            "Moved into Tasks"
        );
        assert_eq!(parent_of_id(&tree, "tasks.board").as_deref(), Some("tasks"));
        assert!(step(&mut tree, "core.dashboard", Step::Out).is_err());
    }

    fn parent_of_id(tree: &[MenuNode], id: &str) -> Option<String> {
        crate::domain::menu::layout::parent_of(tree, id).unwrap()
    }
}

#[test]
fn adding_alone_is_only_new_groups_and_links_beside_the_old_operations() {
    use super::layout::Change;
    let old = layout(json!({"operations": [
        {"op": "hide", "id": "core.dashboard"},
        {"op": "addLink", "id": "custom.docs", "name": "Docs", "url": "https://docs.example", "position": 1}
    ]}));
    let with = |extra: serde_json::Value| {
        let mut ops = serde_json::to_value(&old).unwrap()["operations"].clone();
        ops.as_array_mut().unwrap().push(extra);
        layout(json!({ "operations": ops }))
    };
    let group = json!({"op": "addGroup", "id": "custom.team", "name": "Team", "position": 2});
    let adds_only = Change {
        adds: true,
        alters: false,
    };
    let alters_only = Change {
        adds: false,
        alters: true,
    };
    assert_eq!(Change::between(&old, &with(group.clone())), adds_only);
    // Saving the same layout again is a change (`menu:update`), not nothing.
    assert_eq!(Change::between(&old, &old), alters_only);
    // Hiding, re-pointing an added link, or removing it, alters.
    let hide = json!({"op": "hide", "id": "core.users"});
    assert_eq!(Change::between(&old, &with(hide)), alters_only);
    let repointed = layout(json!({"operations": [
        {"op": "hide", "id": "core.dashboard"},
        {"op": "addLink", "id": "custom.docs", "name": "Docs", "url": "https://evil.example", "position": 1}
    ]}));
    assert_eq!(Change::between(&old, &repointed), alters_only);
    let removed = layout(json!({"operations": [{"op": "hide", "id": "core.dashboard"}]}));
    assert_eq!(Change::between(&old, &removed), alters_only);
    // An add that reuses a known id (the first add wins when applied, so it re-points the
    // old one) or names a new id twice is not adding alone.
    let again = json!({"op": "addLink", "id": "custom.docs", "name": "Docs", "url": "https://evil.example", "position": 1});
    assert!(Change::between(&old, &with(again)).alters);
    let twice = {
        let mut l = with(group.clone());
        l.operations.push(l.operations.last().unwrap().clone());
        l
    };
    assert_eq!(
        Change::between(&old, &twice),
        Change {
            adds: false,
            alters: true
        }
    );
    // An old move into a group that is gone: adding a group of that id would revive it.
    let waiting = layout(json!({"operations": [
        {"op": "move", "id": "core.users", "parent": "custom.team", "position": 1}
    ]}));
    let revived = layout(json!({"operations": [
        {"op": "move", "id": "core.users", "parent": "custom.team", "position": 1},
        {"op": "addGroup", "id": "custom.team", "name": "Team", "position": 2}
    ]}));
    assert!(Change::between(&waiting, &revived).alters);
    // The same operations in another order change the menu.
    let reordered = layout(json!({"operations": [
        {"op": "addLink", "id": "custom.docs", "name": "Docs", "url": "https://docs.example", "position": 1},
        {"op": "hide", "id": "core.dashboard"}
    ]}));
    assert!(Change::between(&old, &reordered).alters);
}
