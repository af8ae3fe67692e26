//! The background worker: named periodic tasks, each run at once and then every `interval`, until shutdown.
//!
//! `coffeechat worker` runs it on its own, and `coffeechat serve` runs it beside the web server (unless told
//! not to). Several workers may run against one database: every task must be safe to run concurrently with
//! itself (sending mail is: claims are atomic in the store).
//!
//! Adding a task is one line in [`Worker::standard`]:
//!
//! ```text
//! .every("refresh-busy-feeds", Duration::from_secs(300), |services| async move { services.refresh_busy_feeds().await })
//! ```
//!
//! A failing run is logged and the task runs again at its next tick; a panicking run is logged and ends that
//! task only. On shutdown no new run starts, and runs in progress finish (a message half-sent is never cut off).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::MissedTickBehavior;

use crate::transport::MailTransport;
use crate::{Result, Services};

/// How often the outbox is checked for due mail: the most a message waits after it is queued.
pub const MAIL_INTERVAL: Duration = Duration::from_secs(5);
/// How often sent mail older than its keeping period is deleted.
pub const PRUNE_INTERVAL: Duration = Duration::from_secs(6 * 3600);

type TaskRun = Pin<Box<dyn Future<Output = Result<()>> + Send>>;

/// One periodic task.
struct Task {
    name: &'static str,
    interval: Duration,
    run: Arc<dyn Fn(Services) -> TaskRun + Send + Sync>,
}

/// A set of periodic tasks over one [`Services`].
pub struct Worker {
    services: Services,
    tasks: Vec<Task>,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker").field("tasks", &self.task_names()).finish()
    }
}

impl Worker {
    /// A worker with no tasks yet.
    pub fn new(services: Services) -> Self {
        Self { services, tasks: Vec::new() }
    }

    /// The tasks every Coffeechat worker runs: sending mail through `mail`, and pruning old sent mail.
    pub fn standard(services: Services, mail: Arc<dyn MailTransport>) -> Self {
        Worker::new(services)
            .every("send-mail", MAIL_INTERVAL, move |services| {
                let mail = mail.clone();
                async move { services.send_due_mail(mail.as_ref()).await.map(drop) }
            })
            .every(
                "prune-sent-mail",
                PRUNE_INTERVAL,
                |services| async move { services.prune_sent_mail().await.map(drop) },
            )
            .every("refresh-busy-feeds", crate::BUSY_REFRESH_INTERVAL, |services| async move {
                services.refresh_due_feeds().await.map(drop)
            })
    }

    /// Adds a task that runs `run` at once and then every `interval`.
    #[must_use]
    pub fn every<F, Fut>(mut self, name: &'static str, interval: Duration, run: F) -> Self
    where
        F: Fn(Services) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<()>> + Send + 'static,
    {
        let run = Arc::new(move |services: Services| -> TaskRun { Box::pin(run(services)) });
        self.tasks.push(Task { name, interval, run });
        self
    }

    /// The names of the tasks, in the order they were added.
    pub fn task_names(&self) -> Vec<&'static str> {
        self.tasks.iter().map(|task| task.name).collect()
    }

    /// Runs every task until `shutdown` completes, then waits for the runs in progress to finish.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) {
        let (stop, stopped) = watch::channel(false);
        let names = self.task_names();
        let handles: Vec<_> = self
            .tasks
            .into_iter()
            .map(|task| tokio::spawn(run_task(task, self.services.clone(), stopped.clone())))
            .collect();
        tracing::info!(tasks = ?names, "worker started");
        shutdown.await;
        tracing::info!("worker stopping: finishing the runs in progress");
        // Receivers live inside the tasks; if every task has already ended there is nobody to tell.
        let _ = stop.send(true);
        for (name, handle) in names.into_iter().zip(handles) {
            if let Err(error) = handle.await {
                tracing::error!(task = name, %error, "a worker task ended abnormally");
            }
        }
        tracing::info!("worker stopped");
    }
}

async fn run_task(task: Task, services: Services, mut stopped: watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(task.interval);
    // A run longer than the interval is followed by one run, not a burst of catch-up runs.
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            biased;
            changed = stopped.changed() => {
                if changed.is_err() || *stopped.borrow() {
                    break;
                }
            }
            _ = ticks.tick() => {
                if let Err(error) = (task.run)(services.clone()).await {
                    tracing::error!(task = task.name, %error, "a worker task failed; it runs again at its next tick");
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;
    use crate::ServiceError;

    async fn services() -> (Services, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = coffeechat_store::open(dir.path().join("w.db").to_str().unwrap()).await.unwrap();
        store.migrate().await.unwrap();
        (Services::new(store), dir)
    }

    #[tokio::test]
    async fn tasks_run_repeatedly_failures_do_not_stop_them_and_shutdown_does() {
        let (services, _dir) = services().await;
        let runs = Arc::new(AtomicU32::new(0));
        let counted = runs.clone();
        let worker = Worker::new(services).every("count", Duration::from_millis(5), move |_| {
            let counted = counted.clone();
            async move {
                // Every other run fails; the task must keep going anyway.
                if counted.fetch_add(1, Ordering::SeqCst).is_multiple_of(2) {
                    Err(ServiceError::Conflict("failing on purpose".into()))
                } else {
                    Ok(())
                }
            }
        });
        assert_eq!(worker.task_names(), ["count"]);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(worker.run(async move {
            let _ = stopped.await;
        }));
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while runs.load(Ordering::SeqCst) < 4 {
            assert!(tokio::time::Instant::now() < deadline, "the task stopped running");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        stop.send(()).unwrap();
        running.await.unwrap();
        let after_stop = runs.load(Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert_eq!(runs.load(Ordering::SeqCst), after_stop, "no run starts after shutdown");
    }

    #[test]
    fn the_standard_worker_sends_and_prunes_mail() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (services, _dir) = runtime.block_on(services());
        let mail = crate::transport::mail_transport(
            &crate::transport::MailDestination::Directory(std::env::temp_dir()),
            crate::transport::DEFAULT_SENDER,
        )
        .unwrap();
        assert_eq!(
            Worker::standard(services, mail).task_names(),
            ["send-mail", "prune-sent-mail", "refresh-busy-feeds"]
        );
    }
}
