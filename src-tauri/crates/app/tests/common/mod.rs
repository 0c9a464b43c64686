//! What the use-case tests share: a new workspace in a temporary folder with Northfield
//! University and its first coordinator, and a proposal that meets every shipped policy.

#![allow(dead_code)] // each test binary uses its own part of this

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use credence_app::domain::institution::InstitutionInput;
use credence_app::domain::person::{Person, PersonInput};
use credence_app::domain::proposal::{ProposalContent, Workload};
use credence_app::{AuditQuery, OpenMode, SetupInput, Workspace};
use credence_store::sql::Sql;
use credence_vc::keys::KdfParams;

/// Where a test's workspace lives: the file `name` in `dir`; or, when
/// `CREDENCE_TEST_ENGINE=postgres`, a new database on the test server
/// (`CREDENCE_TEST_POSTGRES`, which `cargo xtask test` starts), named by its URL, so the same
/// use cases run on both engines. The test server is thrown away after the run, its databases
/// with it.
pub fn workspace_at(dir: &Path, name: &str) -> PathBuf {
    if std::env::var("CREDENCE_TEST_ENGINE").as_deref() != Ok("postgres") {
        return dir.join(name);
    }
    static MADE: AtomicUsize = AtomicUsize::new(0);
    let admin = std::env::var("CREDENCE_TEST_POSTGRES")
        .expect("CREDENCE_TEST_POSTGRES names the test server");
    let database = format!(
        "credence_test_{}_{}",
        std::process::id(),
        MADE.fetch_add(1, Ordering::SeqCst)
    );
    let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("the test server");
    client
        .batch_execute(&format!("CREATE DATABASE {database}"))
        .expect("a new database");
    let (server, _) = admin.rsplit_once('/').expect("a URL naming a database");
    PathBuf::from(format!("{server}/{database}"))
}

/// Runs `f` on a workspace's database directly, around Credence (as anyone holding the file,
/// or a login to the server, could), in one transaction that is then committed.
pub fn around_credence<T>(path: &Path, f: impl FnOnce(&dyn Sql) -> T) -> T {
    match credence_app::kernel::server_url(path) {
        Some(url) => {
            let mut client = postgres::Client::connect(url, postgres::NoTls).expect("the server");
            let db =
                credence_store_postgres::PgSql::new(client.transaction().expect("a transaction"));
            let out = f(&db);
            db.commit().expect("committed");
            out
        }
        None => {
            let conn = rusqlite::Connection::open(path).expect("the file");
            let tx = conn.unchecked_transaction().expect("a transaction");
            let out = f(&tx);
            tx.commit().expect("committed");
            out
        }
    }
}

/// Everything a workspace stores, as text: a file's bytes, or every row of a server
/// database's tables (to check what must never be stored, such as a secret, is not).
pub fn everything_stored(path: &Path) -> String {
    if credence_app::kernel::server_url(path).is_some() {
        around_credence(path, |db| {
            credence_store::copy::tables(db)
                .expect("the tables")
                .iter()
                .map(|table| {
                    db.map_one(
                        &format!("SELECT COALESCE(string_agg(CAST(t.* AS TEXT), ' '), '') FROM {table} t"),
                        credence_store::args![],
                        |r| r.get::<String>(0),
                    )
                    .expect("the rows")
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
    } else {
        String::from_utf8_lossy(&std::fs::read(path).expect("the file")).into_owned()
    }
}

/// Every test person's passphrase.
pub const PASS: &str = "correct horse battery";

/// The folder (kept alive by the caller), the workspace file, the workspace and the
/// coordinator's id. The coordinator's key (passphrase [`PASS`]) is the workspace's first;
/// the workspace finds [`PASS`] for whoever acts, as the command line finds
/// CREDENCE_PASSPHRASE.
pub fn new_workspace() -> (tempfile::TempDir, PathBuf, Workspace, i64) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = workspace_at(dir.path(), "w.credence");
    let ws = Workspace::open(&path, OpenMode::CreateIfMissing).expect("a new workspace");
    ws.set_unlocker(Some(unlocker()));
    let status = ws
        .setup_with(
            &SetupInput {
                institution: InstitutionInput {
                    name: "Northfield University".into(),
                    country: "US".into(),
                    url: None,
                    email: None,
                },
                coordinator_name: "Dana Whitfield".into(),
                coordinator_email: "dana@northfield.edu".into(),
            },
            PASS,
            KdfParams::MIN,
        )
        .expect("the workspace is set up");
    let coordinator = status.acting.expect("the coordinator acts").id;
    (dir, path, ws, coordinator)
}

/// Finds [`PASS`] for anyone.
pub fn unlocker() -> credence_app::kernel::signin::Unlocker {
    Box::new(|_| Ok(credence_app::kernel::secret::Passphrase::new(PASS.into())))
}

/// Adds a person, who enrols with the code they were given and the passphrase `pass`
/// ([`PASS`] in a new workspace, `northfield demo` in the demo).
pub fn add_person(ws: &Workspace, by: Option<i64>, input: &PersonInput, pass: &str) -> Person {
    let added = ws.create_person(by, input).expect("the person is added");
    ws.enrol_with(
        added.person.id,
        Some(&added.enrolment.code),
        pass,
        KdfParams::MIN,
    )
    .expect("they enrol")
}

/// A credit-bearing proposal of `unit` that meets every shipped policy.
pub fn compliant(title: &str, unit: i64) -> ProposalContent {
    ProposalContent {
        title: title.into(),
        description: "Design, build and program a mobile robot.".into(),
        unit_id: Some(unit),
        credit_status: Some("credit".into()),
        category: Some("academic".into()),
        level: Some("intermediate".into()),
        outcomes: vec![
            "Build a mobile robot.".into(),
            "Program its sensors.".into(),
            "Test it in the field.".into(),
        ],
        workload: Workload {
            credits: Some(9.0),
            ..Default::default()
        },
        review_cycle_years: Some(2),
        assessment_types: vec!["project".into()],
        ..Default::default()
    }
}

/// The demo workspace (Northfield University, an active microcredential with awards and an
/// issuer key whose passphrase is `demo`), with its coordinator and that microcredential's
/// slug.
pub struct Demo {
    pub _dir: tempfile::TempDir,
    pub ws: Workspace,
    pub coordinator: Option<i64>,
    pub slug: String,
}

pub fn demo() -> Demo {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let ws = Workspace::open(
        &workspace_at(dir.path(), "demo.credence"),
        OpenMode::CreateIfMissing,
    )
    .expect("a new workspace");
    ws.seed_demo().expect("the demo");
    ws.set_unlocker(Some(Box::new(|_| {
        Ok(credence_app::kernel::secret::Passphrase::new(
            "northfield demo".into(),
        ))
    })));
    let coordinator = Some(
        ws.person_by_email("dana.whitfield@northfield.edu")
            .expect("the demo coordinator")
            .id,
    );
    // The demo's first microcredential: active at version 1, seven awards (one revoked), its
    // periodic review due. (The others show the rest of a life: version 2, suspended,
    // teach-out, retired.)
    let slug = "data-visualization-for-decision-makers".to_string();
    Demo {
        _dir: dir,
        ws,
        coordinator,
        slug,
    }
}

/// How many audit entries there are (of `entity`, or all).
pub fn audit_len(ws: &Workspace, entity: Option<&str>) -> usize {
    ws.audit(
        None,
        &AuditQuery {
            entity: entity.map(str::to_string),
            entity_id: None,
            before_seq: None,
            limit: Some(10_000),
        },
    )
    .expect("the audit log")
    .len()
}

/// Keeps every award of `ws` for the independent verifier (`tests/interop/verify.mjs`, which
/// `cargo xtask test` runs after these tests): each award's files in every format, and the
/// status lists as signed now, under `tests/output/issued/<name>/`. The issuer keys must be
/// unlocked.
pub fn keep_issued(ws: &Workspace, name: &str) {
    use credence_app::certificates::award_files::AwardFormat;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../tests/output/issued")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let mut writer = ws.award_writer(&AwardFormat::ALL).expect("a writer");
    for award in ws.awards("", 5000).expect("the awards") {
        let folder = dir.join(&award.id);
        std::fs::create_dir_all(&folder).expect("a folder");
        for file in writer.files(&award).expect("the award's files") {
            std::fs::write(folder.join(file.name), file.bytes).expect("a file");
        }
    }
    std::fs::create_dir_all(dir.join("status")).expect("a folder");
    for (list, credential) in ws.status_list_credentials().expect("the status lists") {
        std::fs::write(
            dir.join("status").join(list),
            serde_json::to_vec_pretty(&credential).expect("JSON"),
        )
        .expect("a file");
    }
}

/// The text of a PDF as pdftotext reads it, on one line.
#[allow(dead_code)] // not every test file reads PDFs
pub fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, bytes).expect("the PDF written");
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&out.stdout).replace('\n', " ")
}
