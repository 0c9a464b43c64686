//! The store conformance suite: each repository ported to `credence_store::sql::Sql` runs the
//! same checks on a SQLite workspace file and on a PostgreSQL database, and must behave alike.
//! The PostgreSQL server is the one `cargo xtask test` starts (a throwaway cluster), named by
//! `CREDENCE_TEST_POSTGRES`; each run makes its own database and drops it.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use credence_domain::unit::{UnitInput, UnitKind};
use credence_store::sql::Sql;
use credence_store::{units, OpenMode, Store};
use credence_store_postgres::{create_schema, PgSql};

/// A fresh database on the test server, dropped when the value is.
struct Database {
    admin: String,
    name: String,
    url: String,
}

impl Database {
    fn new(purpose: &str) -> Database {
        let admin = std::env::var("CREDENCE_TEST_POSTGRES").unwrap_or_else(|_| {
            panic!(
                "CREDENCE_TEST_POSTGRES names no PostgreSQL server: run the tests with `cargo xtask test`, which starts one"
            )
        });
        let name = format!("credence_{purpose}_{}", std::process::id());
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
        // One statement each: a multi-statement batch is one transaction, which these refuse.
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .unwrap();
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let url = match admin.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("{admin} names no database"),
        };
        Database { admin, name, url }
    }

    fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).unwrap()
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// Runs `check` in a transaction on a new SQLite workspace and on a new PostgreSQL one.
fn on_both(purpose: &str, check: impl Fn(&dyn Sql, &str)) {
    let dir = std::env::temp_dir().join(format!(
        "credence-conformance-{purpose}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut store = Store::open(&dir.join("w.credence"), OpenMode::CreateIfMissing).unwrap();
    store
        .write(|tx| {
            check(tx, "SQLite");
            Ok::<_, credence_store::StoreError>(())
        })
        .unwrap();
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);

    let db = Database::new(purpose);
    let mut client = db.client();
    create_schema(&mut client).unwrap();
    let pg = PgSql::new(client.transaction().unwrap());
    check(&pg, "PostgreSQL");
    pg.commit().unwrap();
}

fn unit(code: &str, name: &str, kind: UnitKind, parent_id: Option<i64>) -> UnitInput {
    UnitInput {
        code: code.into(),
        name: name.into(),
        kind,
        parent_id,
    }
}

#[test]
fn units_behave_alike_on_sqlite_and_postgresql() {
    on_both("units", |db, engine| {
        let college = units::insert(
            db,
            &unit("SCI", "College of Science", UnitKind::College, None),
        )
        .unwrap();
        let maths = units::insert(
            db,
            &unit(
                "MATH",
                "Department of Mathematics",
                UnitKind::Department,
                Some(college),
            ),
        )
        .unwrap();
        assert_ne!(college, maths, "{engine}");
        let got = units::get(db, maths).unwrap().unwrap();
        assert_eq!(
            (got.code.as_str(), got.kind, got.parent_id),
            ("MATH", UnitKind::Department, Some(college)),
            "{engine}"
        );
        assert!(units::get(db, 9_999).unwrap().is_none(), "{engine}");
        let names: Vec<String> = units::list(db)
            .unwrap()
            .into_iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(
            names,
            ["College of Science", "Department of Mathematics"],
            "{engine}: ordered by name"
        );
        // The code is taken, except by the unit itself; a null `except` compares as no unit.
        assert_eq!(
            units::id_by_code(db, "MATH", None).unwrap(),
            Some(maths),
            "{engine}"
        );
        assert_eq!(
            units::id_by_code(db, "MATH", Some(maths)).unwrap(),
            None,
            "{engine}"
        );
        assert_eq!(
            units::id_by_code(db, "NONE", None).unwrap(),
            None,
            "{engine}"
        );
        let tree = units::tree(db).unwrap();
        assert_eq!(tree[&maths].parent_id, Some(college), "{engine}");
        assert_eq!(tree[&college].parent_id, None, "{engine}");
        units::update(
            db,
            maths,
            &unit("MAT", "Mathematics", UnitKind::Department, None),
        )
        .unwrap();
        let got = units::get(db, maths).unwrap().unwrap();
        assert_eq!(
            (got.code.as_str(), got.parent_id),
            ("MAT", None),
            "{engine}"
        );
    });
}

#[test]
fn a_duplicate_code_is_refused_by_both() {
    let dir = std::env::temp_dir().join(format!("credence-conformance-dup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut store = Store::open(&dir.join("w.credence"), OpenMode::CreateIfMissing).unwrap();
    let sqlite = store.write(|tx| {
        units::insert(tx, &unit("SCI", "Science", UnitKind::College, None))?;
        units::insert(tx, &unit("SCI", "Science again", UnitKind::College, None))
    });
    assert!(sqlite.is_err());
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);

    let db = Database::new("dup");
    let mut client = db.client();
    create_schema(&mut client).unwrap();
    let pg = PgSql::new(client.transaction().unwrap());
    units::insert(&pg, &unit("SCI", "Science", UnitKind::College, None)).unwrap();
    let e = units::insert(&pg, &unit("SCI", "Science again", UnitKind::College, None)).unwrap_err();
    assert!(e.to_string().contains("duplicate key"), "{e}");
}

#[test]
fn a_schema_is_created_only_in_an_empty_database() {
    let db = Database::new("schema");
    let mut client = db.client();
    create_schema(&mut client).unwrap();
    let version: i64 = client
        .query_one("SELECT schema_version FROM credence_workspace", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, credence_store_postgres::SCHEMA_VERSION);
    let e = create_schema(&mut client).unwrap_err();
    assert!(e.to_string().contains("not empty"), "{e}");
}
