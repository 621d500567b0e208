//! A node's life after start-up: serving; draining once asked to stop (readiness answers
//! 503 while requests are still served, so balancers move away first); then its background
//! jobs end at a safe point (between rounds, each round being whole transactions) and the
//! process exits.

use std::{
    future::Future,
    sync::{
        atomic::{AtomicBool, Ordering},
        Mutex,
    },
    time::Duration,
};

use tokio::{sync::watch, task::JoinSet, time::Interval};

pub struct Lifecycle {
    draining: AtomicBool,
    /// `true` once the jobs are to stop.
    stop: watch::Sender<bool>,
    jobs: Mutex<JoinSet<()>>,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Self {
            draining: AtomicBool::new(false),
            stop: watch::Sender::new(false),
            jobs: Mutex::new(JoinSet::new()),
        }
    }
}

impl Lifecycle {
    /// Whether this node is on its way out (readiness answers 503).
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Acquire)
    }

    pub fn drain(&self) {
        self.draining.store(true, Ordering::Release);
    }

    /// Runs a background job that `finish_jobs` waits for.
    pub fn spawn(&self, job: impl Future<Output = ()> + Send + 'static) {
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        // Outside a runtime (some unit tests build a state without one) there is nothing to run.
        if tokio::runtime::Handle::try_current().is_ok() {
            jobs.spawn(job);
        }
    }

    /// Whether the jobs are asked to stop (a long round checks between its steps).
    pub fn stop_requested(&self) -> bool {
        *self.stop.borrow()
    }

    /// Resolves once the jobs are asked to stop.
    pub async fn stopping(&self) {
        let mut rx = self.stop.subscribe();
        let _ = rx.wait_for(|stop| *stop).await;
    }

    /// The next tick of a periodic job, or `false` when the job is to end instead: a job
    /// written as `while lifecycle.tick(&mut t).await { round().await }` ends between rounds.
    pub async fn tick(&self, interval: &mut Interval) -> bool {
        if self.stop_requested() {
            return false;
        }
        tokio::select! {
            _ = interval.tick() => true,
            _ = self.stopping() => false,
        }
    }

    /// Asks every job to stop and waits up to `bound` for them to end their current round;
    /// answers how many were still running at the bound (and are abandoned).
    pub async fn finish_jobs(&self, bound: Duration) -> usize {
        self.drain();
        self.stop.send_replace(true);
        let mut jobs = std::mem::take(&mut *self.jobs.lock().unwrap_or_else(|p| p.into_inner()));
        let ended =
            tokio::time::timeout(bound, async { while jobs.join_next().await.is_some() {} }).await;
        if ended.is_err() {
            let left = jobs.len();
            jobs.abort_all();
            return left;
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{atomic::AtomicUsize, Arc};

    #[tokio::test]
    async fn a_periodic_job_ends_between_rounds() {
        let life = Arc::new(Lifecycle::default());
        let rounds = Arc::new(AtomicUsize::new(0));
        let (l, r) = (life.clone(), rounds.clone());
        life.spawn(async move {
            let mut t = tokio::time::interval(Duration::from_millis(5));
            while l.tick(&mut t).await {
                // A round that takes a while: it must be let finish.
                tokio::time::sleep(Duration::from_millis(30)).await;
                r.fetch_add(1, Ordering::SeqCst);
            }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!life.is_draining());
        let before = rounds.load(Ordering::SeqCst);
        assert_eq!(life.finish_jobs(Duration::from_secs(2)).await, 0);
        assert!(life.is_draining());
        // The round running at the stop completed; none started after it.
        let after = rounds.load(Ordering::SeqCst);
        assert!(
            after == before || after == before + 1,
            "{before} -> {after}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(rounds.load(Ordering::SeqCst), after);
    }

    #[tokio::test]
    async fn a_job_past_the_bound_is_abandoned_and_counted() {
        let life = Lifecycle::default();
        life.spawn(std::future::pending());
        assert_eq!(life.finish_jobs(Duration::from_millis(20)).await, 1);
    }
}
