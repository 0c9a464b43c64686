//! Moving a whole workspace between a file and a server, both ways (`credence workspace
//! copy`), and making a server database a workspace (`credence workspace init-server`).

use std::path::Path;

use serde::Serialize;

use super::workspace::server_url;
use crate::{AppError, OpenMode, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// What a copy moved: the rows of each table, and where to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopyReport {
    pub from: String,
    pub to: String,
    /// Each table and how many rows it held.
    pub tables: Vec<(String, u64)>,
}

impl CopyReport {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

/// Makes the empty database a `postgres://` URL names a Credence workspace (its schema, no
/// data); a database holding anything is refused without a change.
pub fn init_server(url: &str) -> Result<()> {
    if server_url(Path::new(url)).is_none() {
        return Err(super::refuse(
            "url",
            format!("{url} is not a postgres:// URL of a database on a server"),
        ));
    }
    Ok(credence_store_postgres::init(url)?)
}

impl Workspace {
    /// Copies this whole workspace (audit chain, signatures, keys, blobs, awards, everything)
    /// into `target`: a new file, or an empty database on a server (made a workspace first
    /// if it is not one yet). A target that exists as a file, or holds any data, is refused
    /// without a change. The copy is one transaction: all of it lands, or none.
    pub fn copy_to(&self, target: &Path) -> Result<CopyReport> {
        if server_url(target).is_none() && target.exists() {
            return Err(super::refuse(
                "to",
                format!(
                    "{} exists: a workspace is copied into a new file only",
                    target.display()
                ),
            ));
        }
        if target == self.path() {
            return Err(super::refuse(
                "to",
                "the target is the workspace being copied",
            ));
        }
        let into = Workspace::open(target, OpenMode::CreateIfMissing)?;
        let tables = self.store().read(|from| {
            into.store().write(|to| {
                if credence_store::copy::holds_data(to)? {
                    return Err(super::refuse(
                        "to",
                        format!(
                            "{} already holds a workspace's data: a copy goes only into an empty one",
                            into.location()
                        ),
                    ));
                }
                Ok(credence_store::copy::everything(from, to)?)
            })
        });
        let tables = match tables {
            Ok(tables) => tables,
            Err(e) => {
                // A file made for the copy and left empty by its failure is not kept.
                drop(into);
                if server_url(target).is_none() {
                    let _ = std::fs::remove_file(target);
                }
                return Err(e);
            }
        };
        Ok(CopyReport {
            from: self.location().to_string(),
            to: into.location().to_string(),
            tables,
        })
    }
}
