//! Opening files: what is refused, and that a refused file is left exactly as it was.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use credence_store::{OpenMode, Store, StoreError, APPLICATION_ID, SCHEMA_VERSION};
use std::path::Path;

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read the workspace file")
}

#[test]
fn a_new_file_is_stamped_with_the_schema_and_application_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/w.credence");
    let mut store = Store::open(&path, OpenMode::CreateIfMissing).unwrap();
    let (app, version, fk, journal): (i64, i64, i64, String) = store
        .read(|c| {
            c.map_one(
                "SELECT (SELECT application_id FROM pragma_application_id),
                        (SELECT user_version FROM pragma_user_version),
                        (SELECT foreign_keys FROM pragma_foreign_keys),
                        (SELECT journal_mode FROM pragma_journal_mode)",
                credence_store::args![],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
        })
        .unwrap();
    assert_eq!(
        (app, version, fk, journal.as_str()),
        (APPLICATION_ID, SCHEMA_VERSION, 1, "wal")
    );
    drop(store);
    Store::open(&path, OpenMode::MustExist).expect("reopens");
}

#[test]
fn a_missing_file_is_refused_when_it_must_exist() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open(&dir.path().join("nope.credence"), OpenMode::MustExist)
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::Missing { .. }));
}

#[test]
fn a_text_file_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "shopping list: eggs, milk\n".repeat(100)).unwrap();
    let before = bytes(&path);
    let err = Store::open(&path, OpenMode::CreateIfMissing).err().unwrap();
    assert!(matches!(err, StoreError::NotCredence { .. }), "{err}");
    assert!(err.to_string().contains("not an SQLite database"));
    assert_eq!(bytes(&path), before);
}

#[test]
fn another_programs_database_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');")
        .unwrap();
    let before = bytes(&path);
    let err = Store::open(&path, OpenMode::CreateIfMissing).err().unwrap();
    assert!(err.to_string().contains("another program"), "{err}");
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_newer_schema_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.credence");
    drop(Store::open(&path, OpenMode::CreateIfMissing).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(&format!(
            "PRAGMA journal_mode = DELETE; PRAGMA user_version = {};",
            SCHEMA_VERSION + 1
        ))
        .unwrap();
    let before = bytes(&path);
    let err = Store::open(&path, OpenMode::MustExist).err().unwrap();
    assert!(matches!(err, StoreError::NewerSchema { .. }), "{err}");
    assert!(err.to_string().contains("newer Credence"));
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_negative_or_foreign_schema_version_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    for (name, stamp, says) in [
        (
            "negative.credence",
            "PRAGMA user_version = -1;".to_string(),
            "schema version -1",
        ),
        (
            "unversioned.credence",
            "PRAGMA user_version = 0;".to_string(),
            "no schema version",
        ),
        (
            "foreign.credence",
            "PRAGMA application_id = 1; PRAGMA user_version = 3;".to_string(),
            "another program",
        ),
    ] {
        let path = dir.path().join(name);
        drop(Store::open(&path, OpenMode::CreateIfMissing).unwrap());
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch(&format!("PRAGMA journal_mode = DELETE; {stamp}"))
            .unwrap();
        let before = bytes(&path);
        let err = Store::open(&path, OpenMode::MustExist).err().unwrap();
        assert!(
            matches!(err, StoreError::NotCredence { .. }),
            "{name}: {err}"
        );
        assert!(err.to_string().contains(says), "{name}: {err}");
        assert!(err.to_string().contains("not changed"), "{name}: {err}");
        assert_eq!(bytes(&path), before, "{name}");
    }
}

#[test]
fn a_damaged_file_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.credence");
    drop(Store::open(&path, OpenMode::CreateIfMissing).unwrap());
    // Written around Credence (a journal mode change cannot run in a transaction).
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "PRAGMA journal_mode = DELETE;
             CREATE TABLE filler (x TEXT);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
             INSERT INTO filler SELECT hex(randomblob(64)) FROM n;",
        )
        .unwrap();
    let mut data = bytes(&path);
    // Overwrite the middle pages, keeping the header intact.
    let mid = data.len() / 2;
    for b in &mut data[mid..mid + 8192] {
        *b = 0xA5;
    }
    std::fs::write(&path, &data).unwrap();
    let err = Store::open(&path, OpenMode::MustExist).err().unwrap();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert_eq!(bytes(&path), data);
}

#[test]
fn a_workspace_of_an_older_schema_is_migrated_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.credence");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(include_str!("../migrations/0001_foundation.sql"))
        .unwrap();
    conn.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 1;
         INSERT INTO unit (code, name, kind) VALUES ('CS', 'Computer Science', 'department');"
    ))
    .unwrap();
    drop(conn);
    let mut store = Store::open(&path, OpenMode::MustExist).unwrap();
    let (version, units, proposals): (i64, i64, i64) = store
        .read(|c| {
            c.map_one(
                "SELECT (SELECT user_version FROM pragma_user_version),
                        (SELECT count(*) FROM unit), (SELECT count(*) FROM proposal)",
                credence_store::args![],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
        })
        .unwrap();
    assert_eq!((version, units, proposals), (SCHEMA_VERSION, 1, 0));
}

#[test]
fn a_checkpointer_copies_the_write_ahead_log_into_the_file_beside_the_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.credence");
    let mut store = Store::open(&path, OpenMode::CreateIfMissing).unwrap();
    // Durable, as a batch runs: the writer copies the log back only past 40 MB.
    store.set_durable(true).unwrap();
    let checkpointer = store.checkpointer().unwrap().expect("a file");
    checkpointer.run().unwrap();
    let before = std::fs::metadata(&path).unwrap().len();
    store
        .write(|c| {
            c.execute("CREATE TABLE filler (text TEXT)", credence_store::args![])?;
            for i in 0..200 {
                c.execute(
                    "INSERT INTO filler (text) VALUES (?1)",
                    credence_store::args![format!("{i:>8}").repeat(1_000)],
                )?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    // Committed, in the log only.
    assert_eq!(std::fs::metadata(&path).unwrap().len(), before);
    let wal = dir.path().join("w.credence-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 1_600_000);
    // Copied by the checkpointer's own connection while the store stays open.
    checkpointer.run().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > before + 1_600_000);
    let rows: i64 = store
        .read(|c| {
            c.map_one(
                "SELECT count(*) FROM filler",
                credence_store::args![],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(rows, 200);
}
