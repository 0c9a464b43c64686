//! Issuance event commands: export a package, open it as an event workspace, finish it
//! into a return package, merge the return. Scripts depend on these names and outputs.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use credence_app::domain::Id;
use credence_app::issuing::events::{EventView, MergeReport};
use credence_app::{AppError, Workspace};

use crate::review::{issuer_passphrase, secret};

#[derive(Subcommand)]
pub enum EventCommand {
    /// Export an event package: the microcredentials at their versions, what their
    /// credentials and certificates need, a dedicated event key (sealed under the event
    /// passphrase: CREDENCE_EVENT_PASSPHRASE, or asked) and a status list reserved for the
    /// event. The issuer passphrase (CREDENCE_ISSUER_PASSPHRASE) proves the right; the
    /// institution's own key never leaves this workspace. Coordinators.
    Export {
        /// The microcredentials' slugs, comma-separated.
        #[arg(
            long,
            value_name = "SLUG[,SLUG...]",
            value_delimiter = ',',
            required = true
        )]
        credential: Vec<String>,
        /// What the event is called (default: "Issuance event" and today's date).
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Make the event workspace (--workspace, a file that does not exist yet) from a
    /// package, with the roster template beside it. There, `credence issue` works as usual
    /// with the event passphrase as both your passphrase and the issuer passphrase.
    Open {
        #[arg(value_name = "FILE")]
        package: PathBuf,
    },
    /// Close the event workspace to issuing and write its return package, signed by the
    /// event key (CREDENCE_EVENT_PASSPHRASE, or asked). Again, writes the same return again.
    Finish {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Bring an event's return package into the workspace that exported the event:
    /// checked whole against the event's key, merged once, the event key retired.
    Merge {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// The events this workspace exported (or, in an event workspace, its event).
    List,
}

fn event_passphrase() -> Result<credence_app::kernel::secret::Passphrase, AppError> {
    secret(
        "CREDENCE_EVENT_PASSPHRASE",
        "Event passphrase: ",
        "event_passphrase",
    )
}

/// `event open`, which makes its workspace rather than opening one.
pub fn open(package: &Path, workspace: &Path) -> Result<(), AppError> {
    let opened = Workspace::open_event(package, workspace)?;
    say!(
        "Opened the event \"{}\" as {}",
        opened.event.name,
        opened.workspace
    );
    for m in &opened.event.microcredentials {
        say!("  {} (v{}): {}", m.slug, m.version, m.title);
    }
    say!(
        "Status entries reserved: {} on {}",
        opened.event.reserved,
        opened.event.status_list
    );
    say!("Roster template: {}", opened.roster_template);
    Ok(())
}

pub fn run(ws: &Workspace, by: Option<Id>, command: &EventCommand) -> Result<(), AppError> {
    match command {
        EventCommand::Export {
            credential,
            name,
            out,
        } => {
            let name = name.clone().unwrap_or_default();
            let issuer = issuer_passphrase()?;
            let event = event_passphrase()?;
            let done = ws.export_event(by, credential, &name, &issuer, &event, out)?;
            say!(
                "Exported the event \"{}\" ({}) to {}",
                done.event.name,
                done.event.id,
                done.file
            );
            for m in &done.event.microcredentials {
                say!("  {} (v{}): {}", m.slug, m.version, m.title);
            }
            say!("Event key: {}", done.event.key_did);
            say!(
                "Status entries reserved: {} on {}",
                done.event.reserved,
                done.event.status_list
            );
            say!("SHA-256: {}", done.sha256);
        }
        EventCommand::Open { .. } => unreachable!("opened before a workspace is"),
        EventCommand::Finish { out } => {
            let p = event_passphrase()?;
            let done = ws.finish_event(by, &p, out)?;
            say!(
                "Finished the event \"{}\": {} award{} ({} revoked), {} audit entries, in {}",
                done.event.name,
                done.awards,
                if done.awards == 1 { "" } else { "s" },
                done.revoked,
                done.entries,
                done.file
            );
            say!("SHA-256: {}", done.sha256);
        }
        EventCommand::Merge { file } => {
            let report = ws.merge_event(by, file)?;
            merged(&report);
        }
        EventCommand::List => {
            for e in ws.events()? {
                listed(&e);
            }
        }
    }
    Ok(())
}

fn merged(r: &MergeReport) {
    say!(
        "Merged the event \"{}\": {} award{} ({} revoked at the event), {} audit entries kept",
        r.event_name,
        r.awards,
        if r.awards == 1 { "" } else { "s" },
        r.revoked_at_event,
        r.entries
    );
    if !r.both_places.is_empty() {
        say!("Awarded in both places:");
        for b in &r.both_places {
            say!(
                "  {} <{}>, {}: at the event {} ({}), here {} ({}){}",
                b.learner_name,
                b.learner_email,
                b.microcredential,
                b.event_credential_id,
                b.event_completed_on,
                b.workspace_credential_id,
                b.workspace_completed_on,
                if b.revoked_as_duplicate {
                    "; the same date, so the event's was revoked as superseded"
                } else {
                    ""
                }
            );
        }
    }
    say!("The event key is retired; it still verifies what it signed.");
}

fn listed(e: &EventView) {
    let state = match (&e.merged_at, &e.finished_at) {
        (Some(at), _) => format!("merged {at}"),
        (None, Some(at)) => format!("finished {at}"),
        _ => "open".to_string(),
    };
    say!(
        "{}  {}  {}  exported {}  {}",
        e.id,
        e.name,
        e.microcredentials
            .iter()
            .map(|m| m.slug.as_str())
            .collect::<Vec<_>>()
            .join(","),
        e.exported_at,
        state
    );
}
