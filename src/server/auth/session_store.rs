//! tower-sessions store on Redis through deadpool-redis. Records are MessagePack under
//! `<prefix>session:<id>` (prefix `redis.key_prefix`, `inti:` by default) and expire in Redis at the session's own expiry.

use async_trait::async_trait;
use deadpool_redis::redis;
use tower_sessions::{
    session::{Id, Record},
    session_store::{Error, Result},
    SessionStore,
};

use crate::server::redis_pool::{RedisConn, RedisPool};

#[derive(Clone)]
pub struct RedisSessionStore {
    pool: RedisPool,
    prefix: String,
}

impl std::fmt::Debug for RedisSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RedisSessionStore")
    }
}

impl RedisSessionStore {
    pub fn new(pool: RedisPool, prefix: &str) -> Self {
        Self {
            pool,
            prefix: prefix.to_string(),
        }
    }

    fn key(&self, id: &Id) -> String {
        format!("{}session:{id}", self.prefix)
    }

    async fn conn(&self) -> Result<RedisConn> {
        self.pool.get().await.map_err(backend)
    }

    /// Writes the record; with `only_new`, refuses to overwrite (id collision on create).
    async fn write(&self, record: &Record, only_new: bool) -> Result<bool> {
        let bytes = rmp_serde::to_vec(record).map_err(|e| Error::Encode(e.to_string()))?;
        let mut cmd = redis::cmd("SET");
        cmd.arg(self.key(&record.id))
            .arg(bytes)
            .arg("EXAT")
            .arg(record.expiry_date.unix_timestamp());
        if only_new {
            cmd.arg("NX");
        }
        let mut conn = self.conn().await?;
        let reply: Option<String> = cmd.query_async(&mut conn).await.map_err(backend)?;
        Ok(reply.is_some())
    }
}

#[async_trait]
impl SessionStore for RedisSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        while !self.write(record, true).await? {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> Result<()> {
        self.write(record, false).await.map(|_| ())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let mut conn = self.conn().await?;
        let bytes: Option<Vec<u8>> = redis::cmd("GET")
            .arg(self.key(id))
            .query_async(&mut conn)
            .await
            .map_err(backend)?;
        bytes
            .map(|b| rmp_serde::from_slice(&b).map_err(|e| Error::Decode(e.to_string())))
            .transpose()
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        let mut conn = self.conn().await?;
        redis::cmd("DEL")
            .arg(self.key(id))
            .query_async::<()>(&mut conn)
            .await
            .map_err(backend)
    }
}

/// A Redis failure, counted for metrics.
fn backend(e: impl std::fmt::Display) -> Error {
    crate::server::metrics::redis_error();
    Error::Backend(e.to_string())
}
