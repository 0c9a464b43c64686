//! The window's hold on a workspace: which file is open, or why none is, and switching files.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::master::{location, passwords};
use crate::{AppError, OpenMode, SetupInput, Workspace, WorkspaceStatus};

/// What the window shows at the top level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SessionView {
    /// The workspace file in use, or to be created.
    pub path: String,
    /// The open workspace; absent when the file does not exist yet or was refused.
    pub workspace: Option<WorkspaceStatus>,
    /// Why the file could not be opened.
    pub problem: Option<AppError>,
    /// Where "Open the demo workspace" puts the demo.
    pub demo_path: String,
    /// What became of a shared workspace's password when it was connected to (kept in the
    /// keyring, or why not), said once for the person.
    pub notice: Option<String>,
}

/// One window's current workspace. Safe to share between threads.
pub struct Session {
    /// Where Credence keeps its own files (the demo, the last workspace opened).
    data_dir: PathBuf,
    path: RwLock<PathBuf>,
    open: RwLock<Option<Arc<Workspace>>>,
    problem: RwLock<Option<AppError>>,
    notice: RwLock<Option<String>>,
}

impl Session {
    /// Starts on `path`: opens it if it exists; otherwise waits for setup or the demo.
    /// `data_dir` is where Credence keeps its own files ([`location::data_dir`]).
    pub fn start(path: PathBuf, data_dir: PathBuf) -> Session {
        let session = Session {
            data_dir,
            path: RwLock::new(path.clone()),
            open: RwLock::new(None),
            problem: RwLock::new(None),
            notice: RwLock::new(None),
        };
        // A file that is not there waits for setup; a server is always asked (with the
        // password the keyring keeps for it, if any).
        if path.exists() || crate::kernel::server_url(&path).is_some() {
            session.switch(&passwords::completed(&path), OpenMode::MustExist);
        }
        session
    }

    /// The open workspace, or an error saying there is none.
    pub fn workspace(&self) -> Result<Arc<Workspace>, AppError> {
        read(&self.open).clone().ok_or_else(|| {
            AppError::new(
                crate::ErrorKind::Workspace,
                "no workspace is open: create one or open the demo",
            )
        })
    }

    pub fn view(&self) -> SessionView {
        let workspace = read(&self.open).clone();
        let (status, problem) = match workspace.map(|w| w.status()) {
            Some(Ok(s)) => (Some(s), None),
            Some(Err(e)) => (None, Some(e)),
            None => (None, read(&self.problem).clone()),
        };
        SessionView {
            path: crate::kernel::named(&read(&self.path)),
            workspace: status,
            problem,
            demo_path: location::demo_workspace(&self.data_dir)
                .display()
                .to_string(),
            notice: read(&self.notice).clone(),
        }
    }

    /// Makes `path` the current workspace: opens (or creates) it, or records why it cannot be.
    pub fn switch(&self, path: &Path, mode: OpenMode) -> SessionView {
        *write(&self.path) = path.to_path_buf();
        *write(&self.notice) = None;
        match Workspace::open(path, mode) {
            Ok(ws) => {
                *write(&self.open) = Some(Arc::new(ws));
                *write(&self.problem) = None;
                location::remember(&self.data_dir, path);
            }
            Err(e) => {
                *write(&self.open) = None;
                *write(&self.problem) = Some(e);
            }
        }
        self.view()
    }

    /// Sets up the current file as a new workspace (creating it if needed).
    pub fn setup(&self, input: &SetupInput, passphrase: &str) -> Result<SessionView, AppError> {
        let current = read(&self.open).clone();
        let ws = match current {
            Some(ws) => ws,
            None => {
                let path = read(&self.path).clone();
                let ws = Arc::new(Workspace::open(&path, OpenMode::CreateIfMissing)?);
                *write(&self.open) = Some(ws.clone());
                *write(&self.problem) = None;
                location::remember(&self.data_dir, &path);
                ws
            }
        };
        ws.setup(input, passphrase)?;
        Ok(self.view())
    }

    /// Connects to a shared workspace on a server: `url` (`postgres://USER@HOST/DATABASE`)
    /// with `password`, over TLS unless the server is this computer. An empty database
    /// becomes a new workspace (set up next, as a new file is); a database that is not a
    /// Credence workspace, or is newer, is refused and the current workspace stays open.
    /// With `remember`, the password is kept in the system's keyring (never in a file),
    /// otherwise any it kept is forgotten; what happened to it is in the answer.
    pub fn connect(
        &self,
        url: &str,
        password: &str,
        remember: bool,
    ) -> Result<SessionView, AppError> {
        let full = PathBuf::from(passwords::with_password(url, password)?);
        let ws = Workspace::open(&full, OpenMode::CreateIfMissing)?;
        let shown = crate::kernel::named(&full);
        let keyring = if password.is_empty() {
            None
        } else if remember {
            Some(match passwords::remember(&shown, password) {
                Ok(()) => "Your password is kept in this computer's keyring.".to_string(),
                Err(why) => format!(
                    "Your password could not be kept in a keyring ({why}): you will be asked \
                     for it next time."
                ),
            })
        } else {
            passwords::forget(&shown).err().map(|why| {
                format!("A password kept for this workspace earlier could not be removed ({why}).")
            })
        };
        *write(&self.path) = full.clone();
        *write(&self.open) = Some(Arc::new(ws));
        *write(&self.problem) = None;
        *write(&self.notice) = keyring;
        location::remember(&self.data_dir, &full);
        Ok(self.view())
    }

    /// Makes an event workspace at `path` from the event package at `package` and opens it.
    pub fn open_event(&self, package: &Path, path: &Path) -> Result<SessionView, AppError> {
        Workspace::open_event(package, path)?;
        Ok(self.switch(path, OpenMode::MustExist))
    }

    /// Opens the demo workspace, creating and seeding it the first time.
    pub fn open_demo(&self) -> Result<SessionView, AppError> {
        let path = location::demo_workspace(&self.data_dir);
        let ws = Workspace::open(&path, OpenMode::CreateIfMissing)?;
        if ws.status()?.institution.is_none() {
            ws.seed_demo()?;
        }
        *write(&self.path) = path.clone();
        *write(&self.notice) = None;
        *write(&self.open) = Some(Arc::new(ws));
        *write(&self.problem) = None;
        location::remember(&self.data_dir, &path);
        Ok(self.view())
    }
}

// A panic elsewhere cannot leave these plain values half-written, so poison is ignored.
fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|p| p.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|p| p.into_inner())
}
