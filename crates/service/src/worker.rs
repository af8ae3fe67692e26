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
//! task only. On shutdown no new run starts, sending claims no further message, and runs in progress get
//! [`SHUTDOWN_GRACE`] to finish; a run still going then is cut off, and every outbox message this worker still
//! holds is given back at once (queued again, due now), so another instance sends it without waiting for the
//! claim's lease to run out.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::MissedTickBehavior;

use crate::transport::MailTransport;
use crate::{Result, Services};

/// How often the outbox is checked for due mail: the most a message waits after it is queued.
pub const MAIL_INTERVAL: Duration = Duration::from_secs(5);
/// How often sent mail older than its keeping period is deleted.
pub const PRUNE_INTERVAL: Duration = Duration::from_secs(6 * 3600);

/// How long runs in progress may take to finish after shutdown was asked for, before they are cut off. Shorter
/// than the usual 30 s a process manager waits between SIGTERM and SIGKILL, and longer than one SMTP exchange
/// normally takes.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

/// A worker's identity and its "stop" flag, shared with the tasks that need them (sending mail claims messages
/// under the id, and claims no more once stopping).
#[derive(Debug, Clone)]
pub struct WorkerControl {
    id: Arc<str>,
    stopping: Arc<AtomicBool>,
}

impl WorkerControl {
    /// A new identity, unique across processes and hosts sharing a database: the process id and 64 random bits.
    pub fn new() -> Self {
        let id = format!("worker-{}-{:016x}", std::process::id(), rand::random::<u64>());
        Self { id: id.into(), stopping: Arc::new(AtomicBool::new(false)) }
    }

    /// The id the worker's claims carry.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether shutdown was asked for: start no new piece of work.
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }
}

impl Default for WorkerControl {
    fn default() -> Self {
        Self::new()
    }
}

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
    control: WorkerControl,
    grace: Duration,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker").field("id", &self.control.id()).field("tasks", &self.task_names()).finish()
    }
}

impl Worker {
    /// A worker with no tasks yet.
    pub fn new(services: Services) -> Self {
        Self { services, tasks: Vec::new(), control: WorkerControl::new(), grace: SHUTDOWN_GRACE }
    }

    /// This worker's identity and stop flag, for tasks that claim work.
    pub fn control(&self) -> WorkerControl {
        self.control.clone()
    }

    /// How long runs in progress may take after shutdown before they are cut off (default [`SHUTDOWN_GRACE`]).
    #[must_use]
    pub fn with_shutdown_grace(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }

    /// The tasks every Coffeechat worker runs: sending mail through `mail`, and pruning old sent mail.
    pub fn standard(services: Services, mail: Arc<dyn MailTransport>) -> Self {
        let worker = Worker::new(services);
        let control = worker.control();
        worker
            .every("send-mail", MAIL_INTERVAL, move |services| {
                let (mail, control) = (mail.clone(), control.clone());
                async move { services.send_due_mail_as(&control, mail.as_ref()).await.map(drop) }
            })
            .every(
                "prune-sent-mail",
                PRUNE_INTERVAL,
                |services| async move { services.prune_sent_mail().await.map(drop) },
            )
            .every("refresh-busy-feeds", crate::BUSY_REFRESH_INTERVAL, |services| async move {
                services.refresh_due_feeds().await.map(drop)
            })
            .every("promote-waitlist", crate::PROMOTE_INTERVAL, |services| async move {
                services.promote_waitlist().await.map(drop)
            })
            .every("expire-requests", crate::EXPIRY_INTERVAL, |services| async move {
                services.expire_requests().await.map(drop)
            })
            .every(
                "remind-hosts",
                crate::EXPIRY_INTERVAL,
                |services| async move { services.remind_hosts().await.map(drop) },
            )
            .every("remind-thanks", crate::THANKS_REMINDER_INTERVAL, |services| async move {
                services.remind_thanks().await.map(drop)
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

    /// Runs every task until `shutdown` completes, then lets the runs in progress finish (for at most the
    /// shutdown grace), and gives back the outbox messages this worker still holds.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) {
        let (stop, stopped) = watch::channel(false);
        let names = self.task_names();
        let handles: Vec<_> = self
            .tasks
            .into_iter()
            .map(|task| tokio::spawn(run_task(task, self.services.clone(), stopped.clone())))
            .collect();
        tracing::info!(worker = self.control.id(), tasks = ?names, "worker started");
        shutdown.await;
        tracing::info!(grace = ?self.grace, "worker stopping: finishing the runs in progress");
        self.control.stop();
        // Receivers live inside the tasks; if every task has already ended there is nobody to tell.
        let _ = stop.send(true);
        let deadline = tokio::time::Instant::now() + self.grace;
        for (name, mut handle) in names.into_iter().zip(handles) {
            match tokio::time::timeout_at(deadline, &mut handle).await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => tracing::error!(task = name, %error, "a worker task ended abnormally"),
                Err(_) => {
                    tracing::warn!(task = name, "a run did not finish within the shutdown grace; cut off");
                    handle.abort();
                    // Wait until it is really gone, so that nothing it holds is touched after the release below.
                    let _ = handle.await;
                }
            }
        }
        give_back_claims(&self.services, &self.control).await;
        tracing::info!("worker stopped");
    }
}

/// Queues again, due now, whatever the worker still holds (a run that was cut off, or a send whose outcome could
/// not be recorded), instead of leaving it to wait for its lease.
async fn give_back_claims(services: &Services, control: &WorkerControl) {
    match services.store().release_claims_of(control.id(), services.now()).await {
        Ok(0) => {}
        Ok(released) => tracing::info!(released, "gave back the outbox messages this worker held"),
        Err(error) => tracing::error!(
            %error,
            "could not give back this worker's outbox claims; they are released when their lease runs out"
        ),
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
        let names = Worker::standard(services, mail).task_names();
        // Features append their own tasks after these; every name is logged, so each is unique.
        assert_eq!(names[..3], ["send-mail", "prune-sent-mail", "refresh-busy-feeds"]);
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
    }
}
