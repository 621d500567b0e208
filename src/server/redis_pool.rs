//! One Redis server or a Redis Cluster (`redis.cluster_urls`) behind one pool, so that
//! sessions, throttles, rate limits, menu caches and webhook replay ids are written once for
//! both. A connection of either kind is a `ConnectionLike`: commands, pipelines and scripts
//! take it as they take a plain connection.
//!
//! In a cluster a Lua script or a multi-key command must keep its keys in one hash slot: the
//! callers put a tag of the subject in the key (`{...}`), see `hash_tag`.

use std::time::Duration;

use deadpool_redis::{
    cluster,
    redis::{aio::ConnectionLike, Cmd, Pipeline, RedisFuture, Value},
    PoolConfig, PoolError, Runtime, Status, Timeouts,
};

use crate::server::config::RedisSettings;

#[derive(Clone)]
pub enum RedisPool {
    Single(deadpool_redis::Pool),
    Cluster(cluster::Pool),
}

/// A pooled connection to the server or to the cluster (which routes each command to the
/// node that holds its slot, and follows the cluster when slots move).
pub enum RedisConn {
    Single(deadpool_redis::Connection),
    Cluster(cluster::Connection),
}

impl RedisPool {
    /// Builds the pool without connecting: the first `get` connects.
    pub fn new(settings: &RedisSettings, timeout: Duration) -> Result<Self, String> {
        let mut pool = PoolConfig::new(settings.pool_size);
        pool.timeouts = Timeouts {
            wait: Some(timeout),
            create: Some(timeout),
            recycle: Some(timeout),
        };
        if settings.cluster_urls.is_empty() {
            let mut cfg = deadpool_redis::Config::from_url(settings.url.expose());
            cfg.pool = Some(pool);
            cfg.create_pool(Some(Runtime::Tokio1))
                .map(Self::Single)
                .map_err(|e| e.to_string())
        } else {
            let urls: Vec<String> = settings
                .cluster_urls
                .iter()
                .map(|u| u.expose().to_string())
                .collect();
            let mut cfg = cluster::Config::from_urls(urls);
            cfg.pool = Some(pool);
            cfg.create_pool(Some(Runtime::Tokio1))
                .map(Self::Cluster)
                .map_err(|e| e.to_string())
        }
    }

    pub async fn get(&self) -> Result<RedisConn, PoolError> {
        match self {
            Self::Single(p) => p.get().await.map(RedisConn::Single),
            Self::Cluster(p) => p.get().await.map(RedisConn::Cluster),
        }
    }

    pub fn status(&self) -> Status {
        match self {
            Self::Single(p) => p.status(),
            Self::Cluster(p) => p.status(),
        }
    }
}

impl ConnectionLike for RedisConn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Self::Single(c) => c.req_packed_command(cmd),
            Self::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Self::Single(c) => c.req_packed_commands(cmd, offset, count),
            Self::Cluster(c) => c.req_packed_commands(cmd, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Self::Single(c) => c.get_db(),
            Self::Cluster(c) => c.get_db(),
        }
    }
}

/// A hash tag for `value`: every key that contains it lands in the same slot of a cluster,
/// and different values spread over the slots. A digest, so that no character of the value
/// can end the tag early; the key keeps the value itself after the tag, for people reading
/// keys.
pub fn hash_tag(value: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = hex::encode(Sha256::digest(value.as_bytes()));
    format!("{{{}}}", &digest[..16])
}

#[cfg(test)]
mod tests {
    use super::hash_tag;

    /// The part of a key that Redis Cluster hashes: the text between the first `{` and the
    /// first `}` after it, when not empty; else the whole key.
    fn hashed(key: &str) -> &str {
        key.find('{')
            .and_then(|open| {
                let rest = &key[open + 1..];
                rest.find('}')
                    .filter(|&close| close > 0)
                    .map(|close| &rest[..close])
            })
            .unwrap_or(key)
    }

    #[test]
    fn a_subjects_keys_hash_alike_whatever_the_prefix_and_subjects_differ() {
        let subject = "acct:x}y{z@example.com|10.0.0.1";
        for prefix in ["inti:", "{shared}:", "a{b:", ""] {
            let tag = hash_tag(subject);
            let hashed: Vec<String> = ["count", "lock", "locked", "running", "known"]
                .iter()
                .map(|part| hashed(&format!("{prefix}bf:{tag}:{subject}:{part}")).to_string())
                .collect();
            assert!(
                hashed.iter().all(|h| *h == hashed[0]),
                "{prefix}: {hashed:?}"
            );
        }
        // Values that differ only in braces have tags of their own.
        assert_ne!(hash_tag("a{b"), hash_tag("a}b"));
        assert_ne!(hash_tag("a{b"), hash_tag("a_b"));
        assert_eq!(hash_tag("a").len(), 18);
    }
}
