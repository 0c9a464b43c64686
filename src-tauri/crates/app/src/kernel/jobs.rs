//! Long work running in this process (a roster batch): one run of each job at a time, and a
//! way to ask a run to stop at its next safe point.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::kernel::refuse;
use crate::AppError;

/// The jobs running in this process, by id.
#[derive(Default)]
pub(crate) struct Jobs {
    running: Mutex<HashMap<String, Arc<AtomicBool>>>,
}

/// A job's run: asked to stop through `Jobs::cancel`; leaves the running jobs when dropped.
pub(crate) struct Run<'j> {
    jobs: &'j Jobs,
    id: String,
    stop: Arc<AtomicBool>,
}

impl Jobs {
    fn running(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<AtomicBool>>> {
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts a run of `id`, refused while one is under way here.
    pub(crate) fn start(&self, id: &str) -> Result<Run<'_>, AppError> {
        let mut running = self.running();
        if running.contains_key(id) {
            return Err(refuse("batch", "this batch is already running"));
        }
        let stop = Arc::new(AtomicBool::new(false));
        running.insert(id.to_string(), stop.clone());
        Ok(Run {
            jobs: self,
            id: id.to_string(),
            stop,
        })
    }

    /// Asks the run of `id` to stop; false when it is not running here.
    pub(crate) fn cancel(&self, id: &str) -> bool {
        match self.running().get(id) {
            Some(stop) => {
                stop.store(true, Ordering::SeqCst);
                true
            }
            None => false,
        }
    }

    pub(crate) fn is_running(&self, id: &str) -> bool {
        self.running().contains_key(id)
    }
}

impl Run<'_> {
    pub(crate) fn cancelled(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

impl Drop for Run<'_> {
    fn drop(&mut self) {
        self.jobs.running().remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_run_at_a_time_cancelled_on_request_and_gone_when_dropped() {
        let jobs = Jobs::default();
        let run = jobs.start("b1").expect("started");
        assert!(jobs.start("b1").is_err());
        assert!(jobs.is_running("b1") && !run.cancelled());
        assert!(jobs.cancel("b1") && run.cancelled());
        assert!(!jobs.cancel("b2"));
        drop(run);
        assert!(!jobs.is_running("b1"));
        assert!(jobs.start("b1").is_ok());
    }
}
