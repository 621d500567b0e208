//! `/dev/mailbox`: in dev mode without SMTP, where mail goes, so that `make run` shows
//! invitations, resets and address changes end to end. Served by dev servers only.

use axum::{extract::State, response::Html};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::{
    domain::error::AppError,
    server::{
        db::{
            mail,
            scope::{scoped, Scope},
        },
        state::AppState,
    },
};

/// The newest 50 messages, newest first; lines that are links can be followed.
pub async fn page(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let messages = scoped(&state.db, Scope::platform(), async |c| {
        Ok(mail::newest(c, 50).await?)
    })
    .await?;
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Dev mailbox · Inti</title></head>\
         <body><h1>Dev mailbox</h1><p>Mail that a production server would send over SMTP (mail.smtp_url), newest first.</p>",
    );
    if messages.is_empty() {
        html.push_str("<p>No mail yet.</p>");
    }
    for m in messages {
        html.push_str(&format!(
            "<article data-testid=\"mail\" data-to=\"{}\"><h2>{}</h2><p>To: {} · {} · {}</p><pre>",
            attr(&m.recipient),
            text(&m.subject),
            text(&m.recipient),
            text(&m.status),
            m.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
        ));
        for line in m.body.as_deref().unwrap_or("").lines() {
            if line.starts_with("http://") || line.starts_with("https://") {
                html.push_str(&format!("<a href=\"{}\">{}</a>\n", attr(line), text(line)));
            } else {
                html.push_str(&text(line));
                html.push('\n');
            }
        }
        html.push_str("</pre></article><hr>");
    }
    html.push_str("</body></html>");
    Ok(Html(html))
}
