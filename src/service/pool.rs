//! The bounded rendering pool: `workers` threads of its own that render one request at a time,
//! and a queue of at most `queue` requests waiting for them; a request beyond that is refused
//! at once.
//!
//! A worker takes the next request from the queue as soon as it has finished one, with no
//! hand-over through the async runtime in between: with tokio's blocking threads and a
//! semaphore, each render waited for two wake-ups (the waiting task, then a blocking thread),
//! and the cores stood idle ~10 % of the time under load (see the README's Performance).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

/// The pool was full: every worker busy and the queue at its bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// A request's work, wrapped to send its result back.
type Job = Box<dyn FnOnce() + Send>;

/// A render pool shared by all requests. Dropping it lets its workers finish what they have
/// and end.
#[derive(Debug)]
pub struct Pool {
    /// The queue: at most `queue` jobs wait in it.
    queue: SyncSender<Job>,
    /// Work admitted and waiting for a worker.
    waiting: Arc<AtomicUsize>,
}

/// Counts one waiting piece of work while it lives (until a worker takes it, or it is
/// refused).
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
    /// A pool of `workers` (at least 1) threads, each with the stack the input parser needs
    /// (parsing runs in place on them), and room for `queue` waiting pieces of work.
    pub fn new(workers: usize, queue: usize) -> std::io::Result<Pool> {
        let (sender, receiver) = sync_channel::<Job>(queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for i in 0..workers.max(1) {
            let receiver = Arc::clone(&receiver);
            std::thread::Builder::new()
                .name(format!("anyqtama-render-{i}"))
                .stack_size(crate::input::PARSE_STACK_BYTES)
                .spawn(move || work_on(&receiver))?;
        }
        Ok(Pool { queue: sender, waiting: Arc::new(AtomicUsize::new(0)) })
    }

    /// Work admitted and waiting for a worker now.
    pub fn queue_depth(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// Runs `work` on a worker when one is free, or returns [`Busy`] at once when the queue is
    /// full. Work that was started runs to its end and keeps its worker even when the caller
    /// stops waiting (a timed-out request), so the bound holds; work whose caller stopped
    /// waiting before a worker took it is dropped unstarted. A panic in `work` is raised
    /// again in the caller.
    pub async fn run<T, F>(&self, work: F) -> Result<T, Busy>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let (done, result) = oneshot::channel();
        let waiting = Waiting::new(&self.waiting);
        let job: Job = Box::new(move || {
            drop(waiting);
            if done.is_closed() {
                return;
            }
            metrics::gauge!("anyqtama_renders_in_flight").increment(1.0);
            let outcome = catch_unwind(AssertUnwindSafe(work));
            metrics::gauge!("anyqtama_renders_in_flight").decrement(1.0);
            let _ = done.send(outcome);
        });
        // Full, or no worker left: the job comes back and is dropped, uncounted.
        self.queue.try_send(job).map_err(|_| Busy)?;
        match result.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            // The workers are gone (the pool is being dropped): as good as busy.
            Err(_) => Err(Busy),
        }
    }
}

/// A worker: takes the next job as soon as it is free, until the pool is dropped.
fn work_on(queue: &Mutex<Receiver<Job>>) {
    crate::input::has_parse_stack();
    loop {
        // The lock is held only while waiting for the next job, never while working.
        let next = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
        match next {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;

    /// Waits (yielding) until the pool has `depth` pieces of work waiting.
    async fn until_waiting(pool: &Pool, depth: usize) {
        while pool.queue_depth() != depth {
            tokio::task::yield_now().await;
        }
    }

    /// Gives the pool's (one) worker work that lasts until the returned sender sends, and
    /// waits until the worker has started it.
    async fn hold_the_worker(
        pool: &Arc<Pool>,
    ) -> (tokio::task::JoinHandle<Result<bool, Busy>>, std::sync::mpsc::Sender<()>) {
        let (started, on_start) = std::sync::mpsc::channel::<()>();
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let held = tokio::spawn({
            let pool = Arc::clone(pool);
            async move {
                pool.run(move || {
                    started.send(()).unwrap();
                    wait.recv().is_ok()
                })
                .await
            }
        });
        tokio::task::spawn_blocking(move || on_start.recv()).await.unwrap().unwrap();
        (held, release)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_pool_refuses_at_once_and_takes_work_again_when_free() {
        let pool = Arc::new(Pool::new(1, 1).unwrap());
        let (first, release) = hold_the_worker(&pool).await;
        // The second waits in the queue.
        let second = tokio::spawn({
            let pool = Arc::clone(&pool);
            async move { pool.run(|| 2).await }
        });
        until_waiting(&pool, 1).await;
        assert_eq!(pool.run(|| 3).await, Err(Busy));
        assert_eq!(pool.queue_depth(), 1, "a refused piece of work is not counted as waiting");
        release.send(()).unwrap();
        assert_eq!(first.await.unwrap(), Ok(true));
        assert_eq!(second.await.unwrap(), Ok(2));
        assert_eq!(pool.queue_depth(), 0);
        assert_eq!(pool.run(|| 4).await, Ok(4));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_runs_on_the_pools_own_threads_and_a_panic_reaches_the_caller() {
        let pool = Arc::new(Pool::new(1, 4).unwrap());
        let name = pool.run(|| std::thread::current().name().map(str::to_owned)).await;
        assert_eq!(name, Ok(Some("anyqtama-render-0".to_owned())));
        let panicked = tokio::spawn({
            let pool = Arc::clone(&pool);
            async move { pool.run(|| -> u8 { panic!("boom") }).await }
        })
        .await;
        assert!(panicked.unwrap_err().is_panic());
        // The worker is still there.
        assert_eq!(pool.run(|| 5).await, Ok(5));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_whose_caller_gave_up_before_it_started_is_not_done() {
        let pool = Arc::new(Pool::new(1, 4).unwrap());
        let (first, release) = hold_the_worker(&pool).await;
        let done = Arc::new(AtomicBool::new(false));
        let abandoned = tokio::spawn({
            let (pool, done) = (Arc::clone(&pool), Arc::clone(&done));
            async move { pool.run(move || done.store(true, Ordering::SeqCst)).await }
        });
        until_waiting(&pool, 1).await;
        abandoned.abort();
        assert!(abandoned.await.unwrap_err().is_cancelled());
        release.send(()).unwrap();
        assert_eq!(first.await.unwrap(), Ok(true));
        // Work queued after it runs, so the abandoned piece has been taken by then.
        assert_eq!(pool.run(|| 6).await, Ok(6));
        assert!(!done.load(Ordering::SeqCst), "the abandoned work ran");
        assert_eq!(pool.queue_depth(), 0);
    }
}
