//! The bounded rendering pool: at most `workers` renders at once on tokio's blocking threads,
//! at most `queue` more waiting for a turn; a request beyond that is refused at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Semaphore;

/// The pool was full: every worker busy and the queue at its bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// A render pool shared by all requests.
#[derive(Debug)]
pub struct Pool {
    /// Places for running and waiting work: `workers + queue`.
    admitted: Arc<Semaphore>,
    /// Places for running work: `workers`.
    running: Arc<Semaphore>,
    /// Work admitted and waiting for a worker.
    waiting: Arc<AtomicUsize>,
}

/// Counts one waiting piece of work while it lives (also when its request is dropped).
struct Waiting(Arc<AtomicUsize>);

impl Waiting {
    fn new(count: &Arc<AtomicUsize>) -> Waiting {
        let depth = count.fetch_add(1, Ordering::SeqCst) + 1;
        metrics::gauge!("anyqtama_queue_depth").set(depth as f64);
        Waiting(Arc::clone(count))
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        let depth = self.0.fetch_sub(1, Ordering::SeqCst) - 1;
        metrics::gauge!("anyqtama_queue_depth").set(depth as f64);
    }
}

impl Pool {
    /// A pool of `workers` (at least 1) with room for `queue` waiting pieces of work.
    pub fn new(workers: usize, queue: usize) -> Pool {
        let workers = workers.max(1);
        Pool {
            admitted: Arc::new(Semaphore::new(workers + queue)),
            running: Arc::new(Semaphore::new(workers)),
            waiting: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Work admitted and waiting for a worker now.
    pub fn queue_depth(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// Runs `work` on a blocking thread when a worker is free, or returns [`Busy`] at once
    /// when the queue is full. Work that was started runs to its end and keeps its worker
    /// even when the caller stops waiting (a timed-out request), so the bound holds.
    pub async fn run<T, F>(&self, work: F) -> Result<T, Busy>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let ticket = Arc::clone(&self.admitted).try_acquire_owned().map_err(|_| Busy)?;
        let waiting = Waiting::new(&self.waiting);
        let permit = Arc::clone(&self.running).acquire_owned().await.map_err(|_| Busy)?;
        drop(waiting);
        let task = tokio::task::spawn_blocking(move || {
            metrics::gauge!("anyqtama_renders_in_flight").increment(1.0);
            let result = work();
            metrics::gauge!("anyqtama_renders_in_flight").decrement(1.0);
            drop((permit, ticket));
            result
        });
        match task.await {
            Ok(result) => Ok(result),
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_pool_refuses_at_once_and_takes_work_again_when_free() {
        let pool = Arc::new(Pool::new(1, 1));
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let first = tokio::spawn({
            let pool = Arc::clone(&pool);
            async move { pool.run(move || wait.recv().is_ok()).await }
        });
        // The first holds the worker; the second waits in the queue.
        while Arc::clone(&pool.running).try_acquire_owned().is_ok_and(|p| {
            drop(p);
            true
        }) {
            tokio::task::yield_now().await;
        }
        let second = tokio::spawn({
            let pool = Arc::clone(&pool);
            async move { pool.run(|| 2).await }
        });
        // Wait for the second's place in the queue itself: the first may still count as
        // waiting for a moment after it got its worker, so the queue depth alone could let the
        // third in before the second (and the third would then wait for good).
        while pool.admitted.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        assert_eq!(pool.run(|| 3).await, Err(Busy));
        release.send(()).unwrap();
        assert_eq!(first.await.unwrap(), Ok(true));
        assert_eq!(second.await.unwrap(), Ok(2));
        assert_eq!(pool.queue_depth(), 0);
        assert_eq!(pool.run(|| 4).await, Ok(4));
    }
}
