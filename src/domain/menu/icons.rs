//! The icon set: a name, and the SVG path data (24×24, stroked) the sidebar draws. Unknown
//! names draw the neutral `dot`, never a broken image.

pub const ICONS: &[(&str, &str)] = &[
    ("dashboard", "M3 3h7v9H3zM14 3h7v5h-7zM14 12h7v9h-7zM3 16h7v5H3z"),
    ("home", "M3 11l9-8 9 8M5 9v12h14V9"),
    ("task", "M4 4h16v16H4zM8 12l3 3 5-6"),
    ("list", "M8 6h13M8 12h13M8 18h13M3 6h1M3 12h1M3 18h1"),
    ("add", "M12 5v14M5 12h14"),
    ("send", "M22 2L11 13M22 2l-7 20-4-9-9-4z"),
    ("history", "M3 12a9 9 0 1 0 3-6.7L3 8M3 3v5h5M12 7v5l4 2"),
    ("message", "M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"),
    ("board", "M3 3h18v18H3zM9 3v18M15 3v18"),
    ("user", "M20 21v-2a4 4 0 0 0-4-4H8a4 4 0 0 0-4 4v2M12 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z"),
    ("users", "M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM23 21v-2a4 4 0 0 0-3-3.9M16 3.1a4 4 0 0 1 0 7.8"),
    ("shield", "M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z"),
    ("audit", "M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8zM14 2v6h6M8 13h8M8 17h8"),
    ("services", "M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h6v6h-6z"),
    ("building", "M4 21V3h12v18M16 9h4v12M8 7h4M8 11h4M8 15h4M2 21h20"),
    ("database", "M12 8c5 0 9-1.3 9-3s-4-3-9-3-9 1.3-9 3 4 3 9 3zM3 5v14c0 1.7 4 3 9 3s9-1.3 9-3V5M3 12c0 1.7 4 3 9 3s9-1.3 9-3"),
    ("menu", "M3 6h18M3 12h18M3 18h18"),
    ("settings", "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12a7 7 0 0 0-.1-1.2l2-1.6-2-3.4-2.4 1a7 7 0 0 0-2-1.2L14 3h-4l-.5 2.6a7 7 0 0 0-2 1.2l-2.4-1-2 3.4 2 1.6A7 7 0 0 0 5 12c0 .4 0 .8.1 1.2l-2 1.6 2 3.4 2.4-1a7 7 0 0 0 2 1.2L10 21h4l.5-2.6a7 7 0 0 0 2-1.2l2.4 1 2-3.4-2-1.6c.1-.4.1-.8.1-1.2z"),
    ("folder", "M3 6a2 2 0 0 1 2-2h4l2 3h8a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"),
    ("link", "M10 14a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1M14 10a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1"),
    ("chart", "M3 3v18h18M7 15l4-4 3 3 5-6"),
    ("calendar", "M3 5h18v16H3zM3 10h18M8 3v4M16 3v4"),
    ("bell", "M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 0 1-3.4 0"),
    ("mail", "M3 5h18v14H3zM3 6l9 7 9-7"),
    ("phone", "M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.8.7 2.7a2 2 0 0 1-.5 2.1L8 9.8a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.7.7a2 2 0 0 1 1.7 2z"),
    ("star", "M12 2l3.1 6.3 6.9 1-5 4.9 1.2 6.8L12 17.8 5.8 21l1.2-6.8-5-4.9 6.9-1z"),
    ("app", "M12 2l9 5v10l-9 5-9-5V7zM12 12l9-5M12 12v10M12 12L3 7"),
    ("dot", "M12 12m-3 0a3 3 0 1 0 6 0 3 3 0 1 0-6 0"),
];

/// The path data of `name`, or the neutral dot's.
pub fn path_of(name: Option<&str>) -> &'static str {
    name.and_then(|n| ICONS.iter().find(|(k, _)| *k == n))
        .map(|(_, d)| *d)
        .unwrap_or(ICONS[ICONS.len() - 1].1)
}
