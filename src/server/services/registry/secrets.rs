//! A service's write-only secrets (its API key, its webhook secret), sealed at rest under
//! `secrets.active_key`, and re-sealing them when that key changes.

use super::*;

/// Seals the webhook secret for the service's row (`None` removes it).
pub(crate) async fn store_webhook_secret(
    c: &mut AsyncPgConnection,
    state: &AppState,
    service_id: Uuid,
    secret: Option<String>,
) -> Result<(), AppError> {
    let sealed = match secret {
        Some(s) => Some(
            state
                .keyring
                .seal(s.as_bytes(), &webhook_secret_aad(service_id))?,
        ),
        None => None,
    };
    db::set_webhook_secret(c, service_id, sealed).await?;
    Ok(())
}

/// Seals the key for the service's row; the hint is its last four characters, shown only
/// for keys long enough that four characters give little away.
pub(crate) async fn store_key(
    c: &mut AsyncPgConnection,
    state: &AppState,
    service_id: Uuid,
    key: Option<String>,
) -> Result<(), AppError> {
    let sealed = match key {
        Some(k) => {
            let chars: Vec<char> = k.chars().collect();
            let hint = if chars.len() >= 12 {
                chars[chars.len() - 4..].iter().collect()
            } else {
                String::new()
            };
            Some((
                state.keyring.seal(k.as_bytes(), &api_key_aad(service_id))?,
                hint,
            ))
        }
        None => None,
    };
    db::set_api_key(c, service_id, sealed).await?;
    Ok(())
}

/// Re-seals every API key (each audited), webhook secret and authenticator secret under the
/// active key (`inti rotate-secrets`); answers how many
/// changed, each audited. Afterwards the old key can be removed from `secrets.keys`.
pub async fn rotate_secrets(state: &AppState) -> Result<usize, AppError> {
    scoped(&state.db, Scope::platform(), async |c| {
        let mut rotated = 0;
        for (id, sealed) in db::all_api_keys(c).await? {
            if state.keyring.is_current(&sealed) {
                continue;
            }
            let aad = api_key_aad(id);
            let clear = state.keyring.open(&sealed, &aad)?;
            db::replace_api_key_ciphertext(c, id, state.keyring.seal(&clear, &aad)?).await?;
            let event = Event {
                action: AuditAction::ServiceKeyRotate,
                outcome: Outcome::Success,
                tenant_id: None,
                actor_user_id: None,
                target: Some(("service", id.to_string())),
                details: json!({ "keyId": state.keyring.active_id() }),
            };
            audit::record(c, &ClientInfo::default(), event).await?;
            rotated += 1;
        }
        for (id, sealed) in db::all_webhook_secrets(c).await? {
            if state.keyring.is_current(&sealed) {
                continue;
            }
            let aad = webhook_secret_aad(id);
            let clear = state.keyring.open(&sealed, &aad)?;
            db::set_webhook_secret(c, id, Some(state.keyring.seal(&clear, &aad)?)).await?;
            rotated += 1;
        }
        for (user_id, sealed) in crate::server::db::two_factor::all_secrets(c).await? {
            if state.keyring.is_current(&sealed) {
                continue;
            }
            let aad = crate::server::keyring::totp_secret_aad(user_id);
            let clear = state.keyring.open(&sealed, &aad)?;
            let resealed = state.keyring.seal(&clear, &aad)?;
            crate::server::db::two_factor::replace_secret(c, user_id, &resealed).await?;
            rotated += 1;
        }
        Ok(rotated)
    })
    .await
}

// ---- what the gateway and webhooks recorded ----
