//! Notices changes to the open workspace, whoever made them (this window, the command line,
//! another program), from the audit entries they appended, and tells every view which kinds
//! of record changed.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use credence_app::Session;
use tauri::{AppHandle, Emitter, Manager};

use crate::commands::CHANGED;

/// The workspace and the newest audit entry the views have been told about.
#[derive(Default)]
pub struct Watch {
    seen: Mutex<Option<(PathBuf, i64)>>,
}

impl Watch {
    /// Emits one change event per kind of record written since the last look. A workspace
    /// seen for the first time (just opened) starts from its newest entry.
    pub fn catch_up(&self, app: &AppHandle) {
        let Ok(ws) = app.state::<Session>().workspace() else {
            return;
        };
        let Ok(head) = ws.audit_head() else {
            return;
        };
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let path = ws.path().to_path_buf();
        match seen.as_ref() {
            Some((p, seq)) if *p == path && *seq == head => {}
            Some((p, seq)) if *p == path && *seq < head => {
                for entity in ws.changed_after(*seq).unwrap_or_default() {
                    // A view that misses the event still refreshes on its next query.
                    let _ = app.emit(CHANGED, entity);
                }
                *seen = Some((path, head));
            }
            _ => *seen = Some((path, head)),
        }
    }

    /// Looks every second, on its own thread, for the life of the app.
    pub fn start(app: &AppHandle) {
        let app = app.clone();
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_secs(1));
            app.state::<Watch>().catch_up(&app);
        });
    }
}
