//! Long work running in this process (a roster batch): one run of each job at a time, a way
//! to ask a run to stop at its next safe point, and what a job worked out as it started,
//! kept for its first run.

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::kernel::refuse;
use crate::AppError;

/// The jobs running in this process, by id.
#[derive(Default)]
pub(crate) struct Jobs {
    running: Mutex<HashMap<String, Arc<AtomicBool>>>,
    /// What the job last started here worked out as it started, for its first run to take
    /// rather than work out again (one job's at a time).
    prepared: Mutex<Option<(String, Box<dyn Any + Send>)>>,
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

    /// Keeps `input` for the next run of `id` (replacing what another job kept).
    pub(crate) fn prepare<T: Any + Send>(&self, id: &str, input: T) {
        *self.prepared.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((id.to_string(), Box::new(input)));
    }

    /// What was kept for `id`, once: `None` where nothing (of this type) was kept for it.
    pub(crate) fn take_prepared<T: Any + Send>(&self, id: &str) -> Option<T> {
        let mut prepared = self.prepared.lock().unwrap_or_else(|p| p.into_inner());
        if prepared.as_ref().is_some_and(|(kept, _)| kept == id) {
            let (_, input) = prepared.take()?;
            return input.downcast::<T>().ok().map(|b| *b);
        }
        None
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
    fn what_a_job_prepared_is_taken_once_by_its_own_id_and_type() {
        let jobs = Jobs::default();
        jobs.prepare("b1", vec![1, 2, 3]);
        assert_eq!(jobs.take_prepared::<Vec<i32>>("b2"), None);
        assert_eq!(jobs.take_prepared::<Vec<i32>>("b1"), Some(vec![1, 2, 3]));
        assert_eq!(jobs.take_prepared::<Vec<i32>>("b1"), None, "taken once");
        jobs.prepare("b1", 7_u8);
        jobs.prepare("b2", 8_u8);
        assert_eq!(
            jobs.take_prepared::<u8>("b1"),
            None,
            "another job's replaced it"
        );
        assert_eq!(jobs.take_prepared::<String>("b2"), None, "not of that type");
        assert_eq!(jobs.take_prepared::<u8>("b2"), None, "gone once looked for");
    }

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
