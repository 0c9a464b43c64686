//! The store conformance suite: each repository ported to `credence_store::sql::Sql` runs the
//! same checks on a SQLite workspace file and on a PostgreSQL database, and must behave alike.
//! The PostgreSQL server is the one `cargo xtask test` starts (a throwaway cluster), named by
//! `CREDENCE_TEST_POSTGRES`; each run makes its own database and drops it.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use credence_domain::unit::{UnitInput, UnitKind};
use std::collections::BTreeMap;

use credence_store::sql::{table_columns, Sql};
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

/// A new SQLite workspace file in a folder of its own, removed when dropped.
struct SqliteWorkspace {
    dir: std::path::PathBuf,
    store: Store,
}

impl SqliteWorkspace {
    fn new(purpose: &str) -> SqliteWorkspace {
        let dir = std::env::temp_dir().join(format!(
            "credence-conformance-{purpose}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open(&dir.join("w.credence"), OpenMode::CreateIfMissing).unwrap();
        SqliteWorkspace { dir, store }
    }
}

impl Drop for SqliteWorkspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs `check` in a transaction on a new SQLite workspace and on a new PostgreSQL one.
fn on_both(purpose: &str, check: impl Fn(&dyn Sql, &str)) {
    SqliteWorkspace::new(purpose)
        .store
        .write(|tx| {
            check(tx, "SQLite");
            Ok::<_, credence_store::StoreError>(())
        })
        .unwrap();
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

/// Every table of a workspace and the columns a statement may set.
fn schema(db: &dyn Sql, tables_sql: &str) -> BTreeMap<String, Vec<String>> {
    db.map(tables_sql, credence_store::args![], |r| r.get::<String>(0))
        .unwrap()
        .into_iter()
        .map(|t| {
            let columns = table_columns(db, &t).unwrap();
            (t, columns)
        })
        .collect()
}

#[test]
fn both_engines_hold_the_same_tables_and_columns() {
    let mut sqlite = SqliteWorkspace::new("schema");
    let on_sqlite = sqlite
        .store
        .read(|db| {
            Ok::<_, credence_store::StoreError>(schema(
                db,
                "SELECT name FROM sqlite_master WHERE type = 'table'
                   AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                   AND name NOT LIKE 'proposal\\_text\\_%' ESCAPE '\\'",
            ))
        })
        .unwrap();
    let db = Database::new("tables");
    let mut client = db.client();
    create_schema(&mut client).unwrap();
    let pg = PgSql::new(client.transaction().unwrap());
    let mut on_postgres = schema(
        &pg,
        "SELECT CAST(table_name AS TEXT) FROM information_schema.tables
         WHERE table_schema = current_schema()",
    );
    // What only PostgreSQL has: the table naming the database a workspace, and the search
    // table's reference to its proposal (FTS5's rowid on SQLite).
    assert!(on_postgres.remove("credence_workspace").is_some());
    on_postgres
        .get_mut("proposal_text")
        .unwrap()
        .retain(|c| c != "proposal_id");
    // A new workspace holds the same rows on both (the settings its migrations record).
    let settings = |db: &dyn Sql| {
        db.map(
            "SELECT key, value FROM setting ORDER BY key",
            credence_store::args![],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
        )
        .unwrap()
    };
    let counts = |db: &dyn Sql, tables: &BTreeMap<String, Vec<String>>| {
        tables
            .keys()
            .filter(|t| t.as_str() != "proposal_text")
            .map(|t| {
                let n: i64 = db
                    .map_one(
                        &format!("SELECT count(*) FROM {t}"),
                        credence_store::args![],
                        |r| r.get(0),
                    )
                    .unwrap();
                (t.clone(), n)
            })
            .collect::<Vec<_>>()
    };
    let (sqlite_settings, sqlite_counts) = sqlite
        .store
        .read(|db| Ok::<_, credence_store::StoreError>((settings(db), counts(db, &on_sqlite))))
        .unwrap();
    assert_eq!(
        settings(&pg),
        sqlite_settings,
        "the settings of a new workspace"
    );
    assert_eq!(
        counts(&pg, &on_sqlite),
        sqlite_counts,
        "the rows of a new workspace"
    );
    let names = |m: &BTreeMap<String, Vec<String>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&on_postgres), names(&on_sqlite), "the tables");
    for (table, columns) in &on_sqlite {
        let mut theirs = on_postgres[table].clone();
        let mut ours = columns.clone();
        theirs.sort();
        ours.sort();
        assert_eq!(theirs, ours, "the columns of {table}");
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
    let sqlite = SqliteWorkspace::new("dup").store.write(|tx| {
        units::insert(tx, &unit("SCI", "Science", UnitKind::College, None))?;
        units::insert(tx, &unit("SCI", "Science again", UnitKind::College, None))
    });
    assert!(sqlite.is_err());

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

#[test]
fn people_and_their_roles_behave_alike() {
    use credence_domain::person::{PersonInput, Role};
    use credence_store::people;
    on_both("people", |db, engine| {
        let unit = units::insert(db, &unit("SCI", "Science", UnitKind::College, None)).unwrap();
        let dana = people::insert(
            db,
            &PersonInput {
                name: "Dana Whitfield".into(),
                email: "Dana.Whitfield@Northfield.edu".into(),
                unit_id: Some(unit),
                roles: vec![Role::Coordinator, Role::CommitteeMember],
            },
        )
        .unwrap();
        let ben = people::insert(
            db,
            &PersonInput {
                name: "Ben Okafor".into(),
                email: "ben@northfield.edu".into(),
                unit_id: None,
                roles: vec![],
            },
        )
        .unwrap();
        let got = people::get(db, dana).unwrap().unwrap();
        let mut roles = vec![Role::Coordinator, Role::CommitteeMember];
        roles.sort();
        assert_eq!((got.unit_id, got.roles), (Some(unit), roles), "{engine}");
        // Emails compare without case; the person's own email is not a clash.
        assert_eq!(
            people::id_by_email(db, "dana.whitfield@northfield.edu", None).unwrap(),
            Some(dana),
            "{engine}"
        );
        assert_eq!(
            people::id_by_email(db, "DANA.whitfield@northfield.edu", Some(dana)).unwrap(),
            None,
            "{engine}"
        );
        assert!(
            people::anyone_has(db, Role::Coordinator).unwrap(),
            "{engine}"
        );
        assert!(!people::anyone_has(db, Role::Assessor).unwrap(), "{engine}");
        let names: Vec<String> = people::list(db)
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(names, ["Ben Okafor", "Dana Whitfield"], "{engine}");
        people::update(
            db,
            ben,
            &PersonInput {
                name: "Ben Okafor".into(),
                email: "ben@northfield.edu".into(),
                unit_id: Some(unit),
                roles: vec![Role::Assessor],
            },
        )
        .unwrap();
        let got = people::get(db, ben).unwrap().unwrap();
        assert_eq!(
            (got.unit_id, got.roles),
            (Some(unit), vec![Role::Assessor]),
            "{engine}"
        );
        assert!(people::get(db, 9_999).unwrap().is_none(), "{engine}");
    });
}

#[test]
fn the_institution_and_preferences_behave_alike() {
    use credence_domain::institution::{LogoFacts, ValidInstitution};
    use credence_store::{institution, prefs};
    on_both("institution", |db, engine| {
        assert!(institution::get(db).unwrap().is_none(), "{engine}");
        let profile = ValidInstitution {
            name: "Northfield University".into(),
            country: "US".into(),
            url: Some("https://www.northfield.edu/".into()),
            email: None,
        };
        institution::set(db, &profile).unwrap();
        institution::set(
            db,
            &ValidInstitution {
                email: Some("microcredentials@northfield.edu".into()),
                ..profile
            },
        )
        .unwrap();
        let logo = [0x89_u8, b'P', b'N', b'G', 0, 1, 2, 255];
        let facts = LogoFacts {
            mime: "image/png".into(),
            width: 256,
            height: 128,
            bytes: logo.len() as u64,
        };
        institution::set_logo(db, Some((&facts, &logo))).unwrap();
        let got = institution::get(db).unwrap().unwrap();
        assert_eq!(
            got.email.as_deref(),
            Some("microcredentials@northfield.edu"),
            "{engine}"
        );
        assert_eq!(got.logo, Some(facts), "{engine}");
        assert_eq!(
            institution::logo(db).unwrap(),
            Some(("image/png".to_string(), logo.to_vec())),
            "{engine}: the bytes as stored"
        );
        institution::set_logo(db, None).unwrap();
        assert!(institution::logo(db).unwrap().is_none(), "{engine}");

        assert_eq!(prefs::get(db, "theme").unwrap(), None, "{engine}");
        prefs::set(db, "theme", "dark").unwrap();
        prefs::set(db, "theme", "light").unwrap();
        assert_eq!(
            prefs::get(db, "theme").unwrap().as_deref(),
            Some("light"),
            "{engine}"
        );
    });
}

#[test]
fn settings_blobs_and_the_calendar_behave_alike() {
    use credence_domain::calendar::AcademicTerm;
    use credence_store::{blobs, calendar, settings};
    on_both("settings", |db, engine| {
        settings::set(db, "attachment_limit_mb", "10").unwrap();
        settings::set(db, "attachment_limit_mb", "25").unwrap();
        assert_eq!(
            settings::get(db, "attachment_limit_mb").unwrap().as_deref(),
            Some("25"),
            "{engine}"
        );
        settings::remove(db, "attachment_limit_mb").unwrap();
        assert_eq!(
            settings::get(db, "attachment_limit_mb").unwrap(),
            None,
            "{engine}"
        );

        // Every byte value survives; the same bytes stored twice are one blob.
        let bytes: Vec<u8> = (0..=255).collect();
        let hash = "a".repeat(64);
        assert!(!blobs::exists(db, &hash).unwrap(), "{engine}");
        blobs::put(db, &hash, "application/pdf", &bytes, "2026-12-03T09:00:00Z").unwrap();
        blobs::put(db, &hash, "application/pdf", &bytes, "2026-12-03T10:00:00Z").unwrap();
        assert!(blobs::exists(db, &hash).unwrap(), "{engine}");
        assert_eq!(
            blobs::get(db, &hash).unwrap(),
            Some(("application/pdf".to_string(), bytes)),
            "{engine}"
        );

        let term = |code: &str, starts: &str| AcademicTerm {
            code: code.into(),
            name: format!("Term {code}"),
            starts_on: starts.into(),
            ends_on: starts.into(),
        };
        calendar::set_terms(
            db,
            &[term("SP27", "2027-01-10"), term("FA26", "2026-09-01")],
        )
        .unwrap();
        let codes: Vec<String> = calendar::terms(db)
            .unwrap()
            .into_iter()
            .map(|t| t.code)
            .collect();
        assert_eq!(codes, ["FA26", "SP27"], "{engine}: in date order");
        calendar::set_terms(db, &[term("FA27", "2027-09-01")]).unwrap();
        assert_eq!(
            calendar::terms(db).unwrap().len(),
            1,
            "{engine}: replaced whole"
        );
    });
}

#[test]
fn the_audit_log_appends_verifies_and_catches_an_edit_alike() {
    use credence_store::audit::{self, Actor, Change};
    on_both("audit", |db, engine| {
        let dana = Actor {
            id: Some(1),
            name: "Dana Whitfield".into(),
        };
        let change = |entity: &'static str, id: &str, after: serde_json::Value| Change {
            entity,
            entity_id: id.into(),
            action: "create",
            before: None,
            after: Some(after),
        };
        assert_eq!(audit::last_seq(db).unwrap(), 0, "{engine}");
        let first = audit::append(
            db,
            &dana,
            change("unit", "1", serde_json::json!({"code": "SCI"})),
        )
        .unwrap();
        audit::append(
            db,
            &dana,
            change("person", "1", serde_json::json!({"name": "Ana"})),
        )
        .unwrap();
        let signed = serde_json::json!({"statement": {"vote": "yes"}, "signature": "ab12"});
        let third = audit::append(db, &dana, change("vote", "7", signed)).unwrap();
        assert_eq!(
            (first, third, audit::last_seq(db).unwrap()),
            (1, 3, 3),
            "{engine}"
        );
        audit::insert_signature(db, third, "z6Mk-key", "ab12").unwrap();

        let report = audit::verify(db).unwrap();
        assert!(report.holds(), "{engine}: {report:?}");
        assert_eq!(report.checked, 3, "{engine}");
        let units_only = audit::list(db, Some("unit"), None, 10, None).unwrap();
        assert_eq!(units_only.len(), 1, "{engine}");
        let newest_two = audit::list(db, None, None, 2, None).unwrap();
        assert_eq!(
            newest_two.iter().map(|(r, _)| r.seq).collect::<Vec<_>>(),
            [3, 2],
            "{engine}: newest first"
        );
        let before_three = audit::list(db, None, None, 10, Some(3)).unwrap();
        assert_eq!(before_three.len(), 2, "{engine}");
        let rows = audit::signed_rows(db, 1).unwrap();
        assert_eq!(rows.len(), 2, "{engine}");
        assert_eq!(
            rows[1].signature,
            Some(("z6Mk-key".to_string(), "ab12".to_string())),
            "{engine}"
        );
        assert_eq!(rows[0].signature, None, "{engine}");
        assert_eq!(
            audit::signed_entries(db)
                .unwrap()
                .iter()
                .map(|(s, _)| *s)
                .collect::<Vec<_>>(),
            [3],
            "{engine}"
        );
        assert_eq!(
            audit::entities_after(db, 1).unwrap(),
            ["person", "vote"],
            "{engine}"
        );
        assert_eq!(
            audit::entries_of(db, "vote").unwrap()[0].entity_id,
            "7",
            "{engine}"
        );
        assert!(audit::hash_of(db, 2).unwrap().is_some(), "{engine}");
        assert!(audit::hash_of(db, 9).unwrap().is_none(), "{engine}");
        let carried = credence_store::events::entry_records(db).unwrap();
        assert_eq!(carried.len(), 3, "{engine}");
        assert_eq!(
            carried[2].public_key.as_deref(),
            Some("z6Mk-key"),
            "{engine}"
        );

        // An entry changed outside Credence is named by the chain check.
        db.execute(
            "UPDATE audit_log SET action = 'delete' WHERE seq = ?1",
            credence_store::args![2_i64],
        )
        .unwrap();
        let report = audit::verify(db).unwrap();
        assert_eq!(report.first_broken.map(|b| b.seq), Some(2), "{engine}");
    });
}

#[test]
fn certificate_templates_and_signatures_behave_alike() {
    use credence_domain::certificate::TemplateInput;
    use credence_store::certificates;
    on_both("certificates", |db, engine| {
        let any = TemplateInput {
            name: "Standard".into(),
            ..TemplateInput::default()
        };
        let at = "2026-12-03T09:00:00Z";
        let standard = certificates::save_template(db, None, &any, at).unwrap();
        let badges = TemplateInput {
            name: "Badges".into(),
            category: Some("digital".into()),
            ..TemplateInput::default()
        };
        let other = certificates::save_template(db, None, &badges, at).unwrap();
        let names: Vec<String> = certificates::templates(db)
            .unwrap()
            .into_iter()
            .map(|t| t.input.name)
            .collect();
        assert_eq!(names, ["Badges", "Standard"], "{engine}: by name");
        // Another template for "any category, any level", or of the same name, clashes; the
        // template itself does not.
        let again = TemplateInput {
            name: "Another".into(),
            ..TemplateInput::default()
        };
        assert_eq!(
            certificates::clash(db, None, &again).unwrap(),
            Some((standard, "Standard".to_string())),
            "{engine}"
        );
        assert_eq!(
            certificates::clash(db, Some(standard), &any).unwrap(),
            None,
            "{engine}"
        );
        let renamed = TemplateInput {
            name: "Digital badges".into(),
            ..badges
        };
        certificates::save_template(db, Some(other), &renamed, at).unwrap();
        let got = certificates::template_by_id(db, other).unwrap().unwrap();
        assert_eq!(got.input, renamed, "{engine}: the body as saved");
        assert!(
            certificates::delete_template(db, other).unwrap(),
            "{engine}"
        );
        assert!(
            !certificates::delete_template(db, other).unwrap(),
            "{engine}"
        );
        assert!(
            certificates::template_by_id(db, other).unwrap().is_none(),
            "{engine}"
        );

        let png = [0x89_u8, b'P', b'N', b'G', 0, 255];
        certificates::put_signature(db, "sig", &png).unwrap();
        certificates::put_signature(db, "sig", &png).unwrap();
        assert_eq!(
            certificates::signature(db, "sig").unwrap(),
            Some(png.to_vec()),
            "{engine}"
        );
    });
}

/// The README's role setup: the schema belongs to an owner role; the app's role reads and
/// writes rows and can do nothing else, and a seat opening an older workspace as the app's
/// role is told to open it once as the owner, with nothing changed.
#[test]
fn the_app_role_writes_rows_and_cannot_change_the_schema() {
    let db = Database::new("roles");
    let tag = std::process::id();
    let (owner, app) = (
        format!("credence_owner_{tag}"),
        format!("credence_app_{tag}"),
    );
    let mut admin = db.client();
    for statement in [
        format!("DROP ROLE IF EXISTS {app}"),
        format!("DROP ROLE IF EXISTS {owner}"),
        format!("CREATE ROLE {owner} LOGIN"),
        format!("CREATE ROLE {app} LOGIN"),
        format!("ALTER DATABASE {} OWNER TO {owner}", db.name),
        "REVOKE ALL ON SCHEMA public FROM PUBLIC".to_string(),
        format!("ALTER SCHEMA public OWNER TO {owner}"),
        format!("GRANT USAGE ON SCHEMA public TO {app}"),
        format!(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public \
             GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}"
        ),
        format!(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public \
             GRANT USAGE ON SEQUENCES TO {app}"
        ),
    ] {
        admin.batch_execute(&statement).unwrap();
    }
    let as_role = |role: &str| db.url.replacen("credence@", &format!("{role}@"), 1);
    credence_store_postgres::init(&as_role(&owner)).unwrap();

    // The app's role works a workspace as any seat does.
    let mut store = credence_store_postgres::open(&as_role(&app), OpenMode::MustExist).unwrap();
    store
        .write(|db| {
            units::insert(db, &unit("SCI", "Science", UnitKind::College, None))?;
            Ok::<_, credence_store::StoreError>(())
        })
        .unwrap();
    drop(store);
    let mut seat = postgres::Client::connect(&as_role(&app), postgres::NoTls).unwrap();
    for forbidden in [
        "DROP TABLE audit_log",
        "ALTER TABLE unit ADD COLUMN x TEXT",
        "CREATE TABLE mine (x TEXT)",
    ] {
        let e = seat.batch_execute(forbidden).unwrap_err();
        assert_eq!(
            e.code(),
            Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
            "{forbidden}: {e}"
        );
    }

    // As if the workspace were of the schema before this one: the app's role is refused.
    let older = credence_store_postgres::SCHEMA_VERSION - 1;
    admin
        .execute(
            "UPDATE credence_workspace SET schema_version = $1",
            &[&older],
        )
        .unwrap();
    let refused = match credence_store_postgres::open(&as_role(&app), OpenMode::MustExist) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("an older workspace opened as the app's role"),
    };
    assert!(
        refused.contains("open it once as the database's owner role"),
        "{refused}"
    );
    let kept: i64 = admin
        .query_one("SELECT schema_version FROM credence_workspace", &[])
        .unwrap()
        .get(0);
    assert_eq!(kept, older, "nothing changed");
    drop(admin);
    drop(db);
    if let Ok(mut c) = postgres::Client::connect(
        &std::env::var("CREDENCE_TEST_POSTGRES").unwrap(),
        postgres::NoTls,
    ) {
        let _ = c.batch_execute(&format!(
            "DROP ROLE IF EXISTS {app}; DROP ROLE IF EXISTS {owner}"
        ));
    }
}

/// A database holding another program's tables, or a workspace written by a newer Credence,
/// is refused, saying which, and left exactly as it was (a file is, in `store/tests/open.rs`).
#[test]
fn another_programs_database_or_a_newer_workspace_is_refused_untouched() {
    let db = Database::new("refused");
    let mut client = db.client();
    client
        .batch_execute("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('Blue Moon')")
        .unwrap();
    for mode in [OpenMode::MustExist, OpenMode::CreateIfMissing] {
        let err = match credence_store_postgres::open(&db.url, mode) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("another program's database was opened"),
        };
        assert!(err.contains("not a Credence workspace"), "{err}");
    }
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 1, "nothing was created beside it");

    let newer = Database::new("newer");
    credence_store_postgres::init(&newer.url).unwrap();
    let mut client = newer.client();
    client
        .batch_execute("UPDATE credence_workspace SET schema_version = 99")
        .unwrap();
    let before: i64 = client
        .query_one("SELECT count(*) FROM information_schema.tables", &[])
        .unwrap()
        .get(0);
    let err = match credence_store_postgres::open(&newer.url, OpenMode::MustExist) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a newer workspace was opened"),
    };
    assert!(err.contains("newer Credence"), "{err}");
    let (version, after): (i64, i64) = (
        client
            .query_one("SELECT schema_version FROM credence_workspace", &[])
            .unwrap()
            .get(0),
        client
            .query_one("SELECT count(*) FROM information_schema.tables", &[])
            .unwrap()
            .get(0),
    );
    assert_eq!((version, after), (99, before), "left as it was");
}

/// The migrations as the builds before 0008 applied them, in order (kept as they were, so
/// tests of older workspaces make exactly what those builds made).
const BEFORE_0008: &[&str] = &[
    include_str!("../migrations/0001_foundation.sql"),
    include_str!("../migrations/0002_settings_blobs_calendar.sql"),
    include_str!("../migrations/0003_signed_entries.sql"),
    include_str!("../migrations/0004_certificates.sql"),
    include_str!("../migrations/0005_proposals_review_awarding.sql"),
    include_str!("../migrations/0006_version_review_cycle.sql"),
    include_str!("../migrations/0007_credential_images.sql"),
];

/// A server workspace the build before migration 0006 made (schema 5: its migrations as that
/// build applied them, a microcredential with two versions) opens in this build: migrated
/// under its lock to this schema, every row kept, each version's review cycle read from its
/// frozen content into the column beside it (none where the content was not kept).
#[test]
fn a_workspace_of_schema_5_opens_migrated_with_each_versions_review_cycle() {
    let db = Database::new("schema5");
    let mut client = db.client();
    let mut tx = client.transaction().unwrap();
    for migration in &BEFORE_0008[..5] {
        tx.batch_execute(migration).unwrap();
    }
    tx.batch_execute(
        "INSERT INTO credence_workspace (application, schema_version) VALUES ('credence', 5);
         INSERT INTO proposal (id, status, title, content_json, created_at, updated_at)
             VALUES (7, 'approved', 'Data Visualization', '{\"title\":\"Data Visualization\"}',
                     '2024-01-10T09:00:00Z', '2024-03-01T09:00:00Z');
         INSERT INTO microcredential (proposal_id, slug, status, status_since)
             VALUES (7, 'data-visualization', 'active', '2024-03-01');
         INSERT INTO microcredential_version (proposal_id, number, effective_from, case_id, content_json)
             VALUES (7, 1, '2024-03-01', 7, '{\"title\":\"Data Visualization\",\"review_cycle_years\":3}'),
                    (7, 2, '2025-09-01', 7, NULL);",
    )
    .unwrap();
    tx.commit().unwrap();

    let store = credence_store_postgres::open(&db.url, OpenMode::MustExist).unwrap();
    drop(store);
    let version: i64 = client
        .query_one("SELECT schema_version FROM credence_workspace", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, credence_store_postgres::SCHEMA_VERSION);
    let rows: Vec<(i64, String, Option<String>, Option<i64>)> = client
        .query(
            "SELECT number, effective_from, content_json, review_cycle_years
             FROM microcredential_version ORDER BY number",
            &[],
        )
        .unwrap()
        .into_iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                1,
                "2024-03-01".to_string(),
                Some("{\"title\":\"Data Visualization\",\"review_cycle_years\":3}".to_string()),
                Some(3)
            ),
            (2, "2025-09-01".to_string(), None, None),
        ]
    );
    let slug: String = client
        .query_one(
            "SELECT slug FROM microcredential WHERE proposal_id = 7",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(slug, "data-visualization");
}

#[test]
fn status_entries_are_given_in_order_across_lists_alike() {
    use credence_store::issuing;
    on_both("status", |db, engine| {
        let key =
            issuing::insert_issuer_key(db, "did:key:z6Mk", "z6Mk", "sealed", "2026-12-03").unwrap();
        // Lists of 4 entries: one given alone, then 6 at once (the rest of the first list,
        // then a new one), then one more alone: as one by one, never the same twice.
        let first = issuing::allocate_status(db, key, 4).unwrap();
        let many = issuing::allocate_statuses(db, key, 4, 6).unwrap();
        let last = issuing::allocate_status(db, key, 4).unwrap();
        let (a, b) = (first.0, many[3].0);
        assert_ne!(a, b, "{engine}: a second list");
        assert_eq!(first, (a, 0), "{engine}");
        assert_eq!(
            many,
            vec![(a, 1), (a, 2), (a, 3), (b, 0), (b, 1), (b, 2)],
            "{engine}"
        );
        assert_eq!(last, (b, 3), "{engine}");
        assert!(issuing::allocate_statuses(db, key, 4, 0)
            .unwrap()
            .is_empty());
    });
}

/// A batch's learners are kept in a row of their own, so the batch's row, updated at every
/// chunk, stays small; a batch started before that (its learners in its own row) is read
/// alike.
#[test]
fn a_batchs_learners_are_kept_apart_from_its_row_and_old_batches_still_read() {
    use credence_store::batches;
    on_both("batchlearners", |db, engine| {
        db.execute(
            "INSERT INTO proposal (id, status, title, content_json, created_at, updated_at)
             VALUES (7, 'approved', 'Data Visualization', '{}', '2026-01-10T09:00:00Z',
                     '2026-01-10T09:00:00Z')",
            credence_store::args![],
        )
        .unwrap();
        let learners =
            r#"[{"name":"Amara Diallo","email":"amara@example.org","completed_on":"2026-12-01"}]"#;
        batches::insert(
            db,
            &batches::NewBatch {
                id: "new",
                proposal_id: 7,
                version: 1,
                language: "en",
                roster_digest: "d1",
                learners_json: learners,
                total: 1,
                started_on: "2026-12-01",
                started_at: "2026-12-01T09:00:00Z",
                started_by: None,
            },
        )
        .unwrap();
        batches::set_done(db, "new", 1).unwrap();
        batches::set_files(db, "new", "/tmp/out", "json", 1).unwrap();
        assert_eq!(
            batches::learners_json(db, "new").unwrap().as_deref(),
            Some(learners),
            "{engine}"
        );
        let in_row: String = db
            .map_opt(
                "SELECT learners_json FROM issue_batch WHERE id = ?1",
                credence_store::args!["new"],
                |r| r.get(0),
            )
            .unwrap()
            .unwrap();
        assert_eq!(in_row, "", "{engine}: not in the batch's row");
        let row = batches::get(db, "new").unwrap().unwrap();
        assert_eq!((row.done, row.files_done), (1, 1), "{engine}");

        // As a build before schema 20 (SQLite) or 8 (PostgreSQL) stored a batch.
        db.execute(
            "INSERT INTO issue_batch (id, proposal_id, version, language, roster_digest,
                learners_json, total, state, started_on, started_at)
             VALUES ('old', 7, 1, 'en', 'd0', ?1, 1, 'running', '2026-11-30',
                     '2026-11-30T09:00:00Z')",
            credence_store::args![learners],
        )
        .unwrap();
        assert_eq!(
            batches::learners_json(db, "old").unwrap().as_deref(),
            Some(learners),
            "{engine}"
        );
        assert_eq!(
            batches::learners_json(db, "none").unwrap(),
            None,
            "{engine}"
        );
    });
}

/// A server workspace of schema 7 (the build before migration 0008) holding a batch that was
/// running opens migrated, and the batch's learners are read from where that build kept them.
#[test]
fn a_workspace_of_schema_7_opens_migrated_with_its_running_batchs_learners() {
    let db = Database::new("schema7");
    let mut client = db.client();
    let mut tx = client.transaction().unwrap();
    for migration in BEFORE_0008 {
        tx.batch_execute(migration).unwrap();
    }
    tx.batch_execute(
        "INSERT INTO credence_workspace (application, schema_version) VALUES ('credence', 7);
         INSERT INTO proposal (id, status, title, content_json, created_at, updated_at)
             VALUES (7, 'approved', 'Data Visualization', '{}', '2024-01-10T09:00:00Z',
                     '2024-03-01T09:00:00Z');
         INSERT INTO issue_batch (id, proposal_id, version, language, roster_digest,
                learners_json, total, done, state, started_on, started_at)
             VALUES ('b7', 7, 1, 'en', 'd7', '[{\"name\":\"Amara Diallo\"}]', 1, 0, 'running',
                     '2026-11-30', '2026-11-30T09:00:00Z');",
    )
    .unwrap();
    tx.commit().unwrap();

    let store = credence_store_postgres::open(&db.url, OpenMode::MustExist).unwrap();
    drop(store);
    let pg = PgSql::new(client.transaction().unwrap());
    assert_eq!(
        credence_store::batches::learners_json(&pg, "b7")
            .unwrap()
            .as_deref(),
        Some("[{\"name\":\"Amara Diallo\"}]")
    );
    let db: &dyn Sql = &pg;
    let version: i64 = db
        .map_opt(
            "SELECT schema_version FROM credence_workspace",
            credence_store::args![],
            |r| r.get(0),
        )
        .unwrap()
        .unwrap();
    assert_eq!(version, credence_store_postgres::SCHEMA_VERSION);
}
