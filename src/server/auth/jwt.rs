//! Short-lived access tokens: HS256 only, issuer and audience checked, carrying the user,
//! the current tenant and the session they belong to.

use std::time::Duration;

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{domain::error::AppError, server::config::AuthSettings};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: Uuid,
    /// Current tenant id.
    pub tid: Uuid,
    /// Session (token family) id.
    pub sid: Uuid,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: Uuid,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl: Duration,
}

impl JwtKeys {
    pub fn new(auth: &AuthSettings) -> Self {
        let secret = auth.jwt_secret.expose().as_bytes();
        // Pinning the algorithm list to HS256 rejects `none` and every other algorithm.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&auth.issuer]);
        validation.set_audience(&[&auth.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: auth.issuer.clone(),
            audience: auth.audience.clone(),
            ttl: auth.access_token_ttl,
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    pub fn issue(
        &self,
        user_id: Uuid,
        tenant_id: Uuid,
        session_id: Uuid,
    ) -> Result<String, AppError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id,
            tid: tenant_id,
            sid: session_id,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            exp: now + self.ttl.as_secs() as i64,
            jti: Uuid::new_v4(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(|e| {
            tracing::error!(error = %e, "signing an access token failed");
            AppError::Internal
        })
    }

    /// Any defect (signature, algorithm, expiry, issuer, audience, shape) is `Unauthenticated`.
    pub fn verify(&self, token: &str) -> Result<Claims, AppError> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|_| AppError::Unauthenticated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::{config::Settings, secret::Secret};

    fn keys(secret: &str) -> JwtKeys {
        let mut s = Settings::from_toml(
            "t",
            "[inti]\nmode = \"dev\"\n[package.metadata.leptos]\noutput-name = \"inti\"\n",
        )
        .unwrap();
        s.auth.jwt_secret = Secret::new(secret);
        JwtKeys::new(&s.auth)
    }

    #[test]
    fn round_trips_and_rejects_other_keys_and_tampering() {
        let k = keys("a-secret-that-is-long-enough-for-tests-1");
        let (u, t, s) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let token = k.issue(u, t, s).unwrap();
        let claims = k.verify(&token).unwrap();
        assert_eq!((claims.sub, claims.tid, claims.sid), (u, t, s));
        assert!(claims.exp - claims.iat <= 900);

        let other = keys("another-secret-that-is-long-enough-for-tests");
        assert_eq!(other.verify(&token), Err(AppError::Unauthenticated));

        let mut tampered = token.clone();
        tampered.insert(token.len() / 2, 'x');
        assert_eq!(k.verify(&tampered), Err(AppError::Unauthenticated));
    }

    #[test]
    fn rejects_alg_none_and_expired_tokens() {
        use base64_url::encode as b64;
        let k = keys("a-secret-that-is-long-enough-for-tests-1");
        let now = chrono::Utc::now().timestamp();
        let claims = |exp: i64| {
            serde_json::json!({"sub": Uuid::new_v4(), "tid": Uuid::new_v4(), "sid": Uuid::new_v4(),
                "iss": "inti", "aud": "inti-api", "iat": now - 1000, "exp": exp, "jti": Uuid::new_v4()})
        };
        let none = format!(
            "{}.{}.",
            b64(br#"{"alg":"none","typ":"JWT"}"#),
            b64(claims(now + 600).to_string().as_bytes())
        );
        assert_eq!(k.verify(&none), Err(AppError::Unauthenticated));

        let expired = encode(
            &Header::new(Algorithm::HS256),
            &claims(now - 60),
            &k.encoding,
        )
        .unwrap();
        assert_eq!(k.verify(&expired), Err(AppError::Unauthenticated));
    }

    mod base64_url {
        /// Unpadded base64url, enough to forge a token header in a test.
        pub fn encode(input: &[u8]) -> String {
            const A: &[u8; 64] =
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            let mut out = String::new();
            for chunk in input.chunks(3) {
                let b = [
                    chunk[0],
                    *chunk.get(1).unwrap_or(&0),
                    *chunk.get(2).unwrap_or(&0),
                ];
                let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
                for i in 0..=chunk.len() {
                    out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
                }
            }
            out
        }
    }
}
