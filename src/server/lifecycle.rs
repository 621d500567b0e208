//! A node's life after start-up: serving; draining once asked to stop (readiness answers
//! 503 and connections close after their answer, while requests are still served, so that
//! balancers move away first; periodic jobs end their round and start no other); then the
//! jobs that serve requests (the gateway's call log) write what they hold, and the process
//! exits.

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
    /// `true` once periodic jobs are to stop (when draining starts).
    stop: watch::Sender<bool>,
    /// `true` once the requests have ended: jobs that serve them finish too.
    close: watch::Sender<bool>,
    jobs: Mutex<JoinSet<()>>,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Self {
            draining: AtomicBool::new(false),
            stop: watch::Sender::new(false),
            close: watch::Sender::new(false),
            jobs: Mutex::new(JoinSet::new()),
        }
    }
}

impl Lifecycle {
    /// Whether this node is on its way out (readiness answers 503).
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Acquire)
    }

    /// Readiness turns 503 and periodic jobs end their current round.
    pub fn drain(&self) {
        self.draining.store(true, Ordering::Release);
        self.stop.send_replace(true);
    }

    /// Runs a background job that `finish_jobs` waits for.
    pub fn spawn(&self, job: impl Future<Output = ()> + Send + 'static) {
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        // Outside a runtime (some unit tests build a state without one) there is nothing to run.
        if tokio::runtime::Handle::try_current().is_ok() {
            jobs.spawn(job);
        }
    }

    /// Whether periodic jobs are asked to stop (a long round checks between its steps).
    pub fn stop_requested(&self) -> bool {
        *self.stop.borrow()
    }

    /// Resolves once periodic jobs are asked to stop.
    pub async fn stopping(&self) {
        let mut rx = self.stop.subscribe();
        let _ = rx.wait_for(|stop| *stop).await;
    }

    /// Resolves once the requests have ended (`finish_jobs`).
    pub async fn closing(&self) {
        let mut rx = self.close.subscribe();
        let _ = rx.wait_for(|close| *close).await;
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

    /// After the requests: asks every job to finish and waits up to `bound` for them to end
    /// their current round; answers how many were still running at the bound (abandoned).
    pub async fn finish_jobs(&self, bound: Duration) -> usize {
        self.drain();
        self.close.send_replace(true);
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
