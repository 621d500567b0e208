//! One Redis server or a Redis Cluster (`redis.cluster_urls`) behind one pool, so that
//! sessions, throttles, rate limits, menu caches and webhook replay ids are written once for
//! both. A connection of either kind is a `ConnectionLike`: commands, pipelines and scripts
//! take it as they take a plain connection.
//!
//! In a cluster a Lua script or a multi-key command must keep its keys in one hash slot: the
//! callers put the part that varies per subject in a hash tag (`{...}`), see `hash_tag`.

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

/// `value` as a hash tag: every key that contains the same tag lands in the same slot of a
/// cluster. Braces inside the value would end the tag early (still the same slot for keys
/// that share the value, but fewer distinct slots), so they are replaced.
pub fn hash_tag(value: &str) -> String {
    let clean: String = value
        .chars()
        .map(|c| if matches!(c, '{' | '}') { '_' } else { c })
        .collect();
    format!("{{{clean}}}")
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
    fn keys_with_one_tag_hash_alike_whatever_the_prefix_and_value() {
        for prefix in ["inti:", "{shared}:", "a{b:", ""] {
            let tag = hash_tag("acct:x}y{z@example.com|10.0.0.1");
            let hashed: Vec<String> = ["count", "lock", "locked", "running", "known"]
                .iter()
                .map(|part| hashed(&format!("{prefix}bf:{tag}:{part}")).to_string())
                .collect();
            assert!(
                hashed.iter().all(|h| *h == hashed[0]),
                "{prefix}: {hashed:?}"
            );
        }
        // Without a brace in the prefix, the subject alone is hashed: subjects spread out.
        assert_eq!(hashed(&format!("inti:bf:{}:count", hash_tag("a}b"))), "a_b");
    }
}
