//! Use cases against a real SQLite file in a temporary folder.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use credence_vc::keys::KdfParams;

use credence_app::domain::institution::InstitutionInput;
use credence_app::domain::person::{PersonInput, Role};
use credence_app::domain::unit::{UnitInput, UnitKind};
use credence_app::{AppError, AuditQuery, ErrorKind, OpenMode, Session, SetupInput, Workspace};
use std::path::PathBuf;

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    ws: Workspace,
    coordinator: i64,
}

fn setup_input() -> SetupInput {
    SetupInput {
        institution: InstitutionInput {
            name: "Lakeshore College".into(),
            country: "NZ".into(),
            url: Some("https://lakeshore.ac.nz".into()),
            email: None,
        },
        coordinator_name: "Mere Tākao".into(),
        coordinator_email: "mere@lakeshore.ac.nz".into(),
    }
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.credence");
    let ws = Workspace::open(&path, OpenMode::CreateIfMissing).unwrap();
    ws.set_unlocker(Some(common::unlocker()));
    let status = ws
        .setup_with(&setup_input(), common::PASS, KdfParams::MIN)
        .unwrap();
    let coordinator = status.acting.unwrap().id;
    Fixture {
        _dir: dir,
        path,
        ws,
        coordinator,
    }
}

fn unit(code: &str, parent_id: Option<i64>) -> UnitInput {
    UnitInput {
        code: code.into(),
        name: format!("Unit {code}"),
        kind: UnitKind::Department,
        parent_id,
    }
}

fn person(email: &str, roles: &[Role], unit_id: Option<i64>) -> PersonInput {
    PersonInput {
        name: format!("Person {email}"),
        email: email.into(),
        unit_id,
        roles: roles.to_vec(),
    }
}

fn audit_count(ws: &Workspace) -> usize {
    ws.audit(
        None,
        &AuditQuery {
            limit: Some(1000),
            ..Default::default()
        },
    )
    .unwrap()
    .len()
}

fn field_of(e: &AppError) -> Vec<&str> {
    e.fields.iter().map(|f| f.field.as_str()).collect()
}

#[test]
fn setup_records_the_coordinator_as_the_author_and_makes_them_act() {
    let f = fixture();
    let status = f.ws.status().unwrap();
    assert_eq!(status.institution.unwrap().country_name, "New Zealand");
    assert_eq!(status.acting.unwrap().roles, [Role::Coordinator]);
    let entries = f.ws.audit(None, &AuditQuery::default()).unwrap();
    // The coordinator, her signing key, the institution, and the default taxonomy; all but
    // the first signed with her key.
    assert_eq!(entries.len(), 4);
    assert!(entries.iter().all(|e| e.actor_name == "Mere Tākao"));
    let report = f.ws.verify_audit().unwrap();
    assert!(report.holds(), "{report:?}");
    assert_eq!((report.entries_signed, report.unsigned_history), (3, 1));
}

#[test]
fn setup_is_refused_on_a_workspace_already_set_up() {
    let f = fixture();
    let err = f.ws.setup(&setup_input(), common::PASS).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Workspace);
    assert_eq!(audit_count(&f.ws), 4);
}

#[test]
fn setup_names_every_wrong_field_with_its_group() {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::open(&dir.path().join("w.credence"), OpenMode::CreateIfMissing).unwrap();
    let mut input = setup_input();
    input.institution.country = "Narnia".into();
    input.coordinator_email = "mere".into();
    let err = ws.setup(&input, "short").unwrap_err();
    assert_eq!(
        field_of(&err),
        ["institution.country", "coordinator_email", "passphrase"]
    );
    assert!(
        ws.status().unwrap().institution.is_none(),
        "nothing was written"
    );
}

#[test]
fn each_change_is_audited_with_before_and_after() {
    let f = fixture();
    let by = Some(f.coordinator);
    let cs = f.ws.create_unit(by, &unit("cs", None)).unwrap();
    let mut edit = unit("CS", None);
    edit.name = "Computer Science".into();
    f.ws.update_unit(by, cs.id, &edit).unwrap();
    let trail =
        f.ws.audit(
            None,
            &AuditQuery {
                entity: Some("unit".into()),
                entity_id: Some(cs.id.to_string()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(trail.len(), 2);
    let update = &trail[0];
    assert_eq!(
        (update.action.as_str(), update.actor_name.as_str()),
        ("update", "Mere Tākao")
    );
    assert_eq!(update.before.as_ref().unwrap()["name"], "Unit cs");
    assert_eq!(update.after.as_ref().unwrap()["name"], "Computer Science");
}

#[test]
fn a_duplicate_unit_code_is_refused_and_changes_nothing() {
    let f = fixture();
    let by = Some(f.coordinator);
    f.ws.create_unit(by, &unit("CS", None)).unwrap();
    let before = audit_count(&f.ws);
    let err = f.ws.create_unit(by, &unit(" cs ", None)).unwrap_err();
    assert_eq!(field_of(&err), ["code"]);
    assert_eq!(
        err.fields[0].message,
        "the code CS is already used by Unit CS"
    );
    assert_eq!(f.ws.units().unwrap().len(), 1);
    assert_eq!(audit_count(&f.ws), before);
}

#[test]
fn a_parent_that_would_loop_is_refused_naming_the_chain() {
    let f = fixture();
    let by = Some(f.coordinator);
    let eng = f.ws.create_unit(by, &unit("ENG", None)).unwrap();
    let cs = f.ws.create_unit(by, &unit("CS", Some(eng.id))).unwrap();
    let ai = f.ws.create_unit(by, &unit("AI", Some(cs.id))).unwrap();
    let before = audit_count(&f.ws);
    let err =
        f.ws.update_unit(by, eng.id, &unit("ENG", Some(ai.id)))
            .unwrap_err();
    assert_eq!(
        err.fields[0].message,
        "the parent chain would loop: ENG → AI → CS → ENG"
    );
    assert_eq!(
        f.ws.units()
            .unwrap()
            .iter()
            .find(|u| u.id == eng.id)
            .unwrap()
            .parent_id,
        None
    );
    assert_eq!(audit_count(&f.ws), before);
}

#[test]
fn only_a_coordinator_changes_master_data() {
    let f = fixture();
    let by = Some(f.coordinator);
    let cs = f.ws.create_unit(by, &unit("CS", None)).unwrap();
    let proposer = common::add_person(
        &f.ws,
        by,
        &person("ana@lakeshore.ac.nz", &[Role::Proposer], Some(cs.id)),
        common::PASS,
    );
    let before = audit_count(&f.ws);
    let err =
        f.ws.create_unit(Some(proposer.id), &unit("ME", None))
            .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Forbidden);
    assert!(err.message.contains("not a coordinator"));
    let err = f.ws.create_unit(None, &unit("ME", None)).unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::Forbidden,
        "someone must be acting once a coordinator exists"
    );
    assert_eq!(audit_count(&f.ws), before);
}

#[test]
fn the_last_coordinator_keeps_the_role() {
    let f = fixture();
    let err =
        f.ws.update_person(
            Some(f.coordinator),
            f.coordinator,
            &person("mere@lakeshore.ac.nz", &[Role::CommitteeMember], None),
        )
        .unwrap_err();
    assert_eq!(field_of(&err), ["roles"]);
}

#[test]
fn emails_are_unique_regardless_of_case() {
    let f = fixture();
    let err =
        f.ws.create_person(
            Some(f.coordinator),
            &person("MERE@Lakeshore.ac.nz", &[Role::CommitteeMember], None),
        )
        .unwrap_err();
    assert_eq!(field_of(&err), ["email"]);
    assert!(err.fields[0].message.contains("Mere Tākao"));
}

#[test]
fn a_person_in_a_missing_unit_is_refused() {
    let f = fixture();
    let err =
        f.ws.create_person(
            Some(f.coordinator),
            &person("a@b.nz", &[Role::Proposer], Some(999)),
        )
        .unwrap_err();
    assert_eq!(field_of(&err), ["unit_id"]);
}

#[test]
fn a_logo_must_be_an_image_and_is_audited_when_set() {
    let f = fixture();
    let by = Some(f.coordinator);
    let err =
        f.ws.set_logo(by, Some(b"<html>not a logo</html>"))
            .unwrap_err();
    assert_eq!(field_of(&err), ["logo"]);
    let mut png = Vec::new();
    image::RgbaImage::new(40, 20)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let inst = f.ws.set_logo(by, Some(&png)).unwrap();
    assert_eq!(inst.logo.unwrap().width, 40);
    assert_eq!(f.ws.logo().unwrap().unwrap().1, png);
    let last = &f.ws.audit(None, &AuditQuery::default()).unwrap()[0];
    assert_eq!(last.action, "set_logo");
}

#[test]
fn editing_a_stored_audit_row_is_detected_and_named() {
    let f = fixture();
    let by = Some(f.coordinator);
    for code in ["A", "B", "C"] {
        f.ws.create_unit(by, &unit(code, None)).unwrap();
    }
    assert!(f.ws.verify_audit().unwrap().holds());
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    conn.execute(
        "UPDATE audit_log SET after_json = replace(after_json, 'Unit B', 'Unit X')
         WHERE after_json LIKE '%Unit B%'",
        [],
    )
    .unwrap();
    assert_eq!(f.ws.verify_audit().unwrap().first_broken.unwrap().seq, 6);
    // Deleting an entry in the middle is found too.
    conn.execute_batch(
        "DELETE FROM audit_signature WHERE seq = 2; DELETE FROM audit_log WHERE seq = 2;",
    )
    .unwrap();
    assert_eq!(f.ws.verify_audit().unwrap().first_broken.unwrap().seq, 3);
}

#[test]
fn the_demo_fills_a_new_workspace_and_refuses_a_set_up_one() {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::open(&dir.path().join("demo.credence"), OpenMode::CreateIfMissing).unwrap();
    let status = ws.seed_demo().unwrap();
    assert_eq!(status.institution.unwrap().name, "Northfield University");
    assert_eq!(ws.units().unwrap().len(), 12);
    let people = ws.people().unwrap();
    assert_eq!(people.len(), 25);
    for role in Role::ALL {
        assert!(
            people.iter().any(|p| p.has_role(role)),
            "someone is {role:?}"
        );
    }
    // Nobody is left signed in; the coordinator is the one the CLI acts as by default.
    assert!(status.acting.is_none() && status.sign_in_required);
    assert!(ws
        .acting_person()
        .unwrap()
        .unwrap()
        .has_role(Role::Coordinator));
    assert!(ws.verify_audit().unwrap().holds());
    assert_eq!(ws.seed_demo().unwrap_err().kind, ErrorKind::Workspace);
}

#[test]
fn a_session_on_a_missing_file_creates_it_at_setup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.credence");
    let session = Session::start(path.clone(), dir.path().join("data"));
    let view = session.view();
    assert!(view.workspace.is_none() && view.problem.is_none());
    assert!(!path.exists());
    let view = session.setup(&setup_input(), common::PASS).unwrap();
    assert_eq!(
        view.workspace.unwrap().institution.unwrap().name,
        "Lakeshore College"
    );
    assert!(path.exists());
}

#[test]
fn a_session_on_a_foreign_file_reports_why_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.credence");
    std::fs::write(&path, "not a database").unwrap();
    let session = Session::start(path.clone(), dir.path().join("data"));
    let view = session.view();
    assert!(view
        .problem
        .unwrap()
        .message
        .contains("not a Credence workspace"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "not a database");
}

#[test]
fn a_session_opens_the_demo_in_its_data_folder_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let session = Session::start(dir.path().join("none.credence"), data.clone());
    let view = session.open_demo().unwrap();
    assert_eq!(view.path, data.join("demo.credence").display().to_string());
    // Opening it again keeps what is there rather than seeding twice.
    let again = Session::start(dir.path().join("none.credence"), data);
    again.open_demo().unwrap();
    assert_eq!(again.workspace().unwrap().people().unwrap().len(), 25);
}

#[test]
fn the_kinds_of_record_a_change_wrote_are_read_back_from_its_audit_entries() {
    let f = fixture();
    let head = f.ws.audit_head().unwrap();
    assert_eq!(f.ws.changed_after(head).unwrap(), Vec::<String>::new());
    let by = Some(f.coordinator);
    f.ws.create_unit(by, &unit("ENG", None)).unwrap();
    f.ws.create_person(
        by,
        &person("ana@lakeshore.ac.nz", &[Role::CommitteeMember], None),
    )
    .unwrap();
    assert_eq!(
        f.ws.changed_after(head).unwrap(),
        ["person", "person_key", "unit"]
    );
    assert_eq!(f.ws.audit_head().unwrap(), head + 3);
}

/// Two coordinators on two seats edit the same unit, person and institution profile, each
/// from what they read: the later save over a stale copy is refused naming who changed it,
/// and changes nothing; saved over the fresh copy, it goes through. (On either engine: a
/// workspace file, or a database on the test server.)
#[test]
fn an_edit_over_a_record_someone_else_changed_is_refused_naming_them() {
    let (_dir, _path, ws, dana) = common::new_workspace();
    let by = Some(dana);
    let lee = common::add_person(
        &ws,
        by,
        &person("lee@northfield.edu", &[Role::Coordinator], None),
        common::PASS,
    );
    let cs = ws.create_unit(by, &unit("CS", None)).unwrap();
    let refused = |err: AppError, what: &str| {
        assert_eq!(err.kind, ErrorKind::Conflict, "{err:?}");
        assert!(
            err.message
                .starts_with(&format!("Person lee@northfield.edu changed {what} at "))
                && err.message.contains("nothing of yours was saved"),
            "{}",
            err.message
        );
    };

    // A unit: both read it, Lee renames it first.
    let read_by_dana = ws
        .units()
        .unwrap()
        .into_iter()
        .find(|u| u.id == cs.id)
        .unwrap();
    let mut theirs = unit("CS", None);
    theirs.name = "Computer Science".into();
    ws.update_unit_over(Some(lee.id), cs.id, &theirs, Some(&read_by_dana))
        .unwrap();
    let entries = audit_count(&ws);
    let mut mine = unit("COMPSCI", None);
    mine.name = read_by_dana.name.clone();
    refused(
        ws.update_unit_over(by, cs.id, &mine, Some(&read_by_dana))
            .unwrap_err(),
        "the unit CS",
    );
    let now = ws
        .units()
        .unwrap()
        .into_iter()
        .find(|u| u.id == cs.id)
        .unwrap();
    assert_eq!(
        (now.code.as_str(), now.name.as_str()),
        ("CS", "Computer Science")
    );
    assert_eq!(audit_count(&ws), entries, "nothing recorded");
    mine.name = now.name.clone();
    let after = ws.update_unit_over(by, cs.id, &mine, Some(&now)).unwrap();
    assert_eq!(
        (after.code.as_str(), after.name.as_str()),
        ("COMPSCI", "Computer Science")
    );

    // A person: Lee gives Dana's colleague a role while Dana fixes the email.
    let kim = ws
        .create_person(
            by,
            &person("kim@northfield.edu", &[Role::CommitteeMember], None),
        )
        .unwrap()
        .person;
    let roles = &[Role::CommitteeMember, Role::Assessor];
    ws.update_person_over(
        Some(lee.id),
        kim.id,
        &person("kim@northfield.edu", roles, None),
        Some(&kim),
    )
    .unwrap();
    refused(
        ws.update_person_over(
            by,
            kim.id,
            &person("kim.lee@northfield.edu", &[Role::CommitteeMember], None),
            Some(&kim),
        )
        .unwrap_err(),
        "Person kim@northfield.edu's record",
    );
    let stored = ws
        .people()
        .unwrap()
        .into_iter()
        .find(|p| p.id == kim.id)
        .unwrap();
    assert_eq!(stored.email, "kim@northfield.edu");
    assert_eq!(stored.roles, roles.to_vec(), "Lee's change stands");

    // The institution's profile.
    let profile = ws.institution().unwrap().unwrap();
    let input = |name: &str| InstitutionInput {
        name: name.into(),
        country: profile.country.clone(),
        url: profile.url.clone(),
        email: profile.email.clone(),
    };
    ws.set_institution_over(
        Some(lee.id),
        &input("Northfield University of Technology"),
        Some(&profile),
    )
    .unwrap();
    refused(
        ws.set_institution_over(by, &input("Northfield Univ."), Some(&profile))
            .unwrap_err(),
        "the institution's profile",
    );
    let fresh = ws.institution().unwrap().unwrap();
    assert_eq!(fresh.name, "Northfield University of Technology");
    // The command line (no copy read) changes what is stored, as before.
    ws.set_institution(by, &input("Northfield University"))
        .unwrap();

    // The policies: Lee turns a rule off while Dana's page still shows it on.
    let read_by_dana = ws.policy().unwrap();
    let mut theirs = read_by_dana.clone();
    theirs.rules[0].enabled = !theirs.rules[0].enabled;
    ws.set_policy_over(Some(lee.id), &theirs, Some(&read_by_dana))
        .unwrap();
    let mut mine = read_by_dana.clone();
    mine.rules[1].enabled = !mine.rules[1].enabled;
    refused(
        ws.set_policy_over(by, &mine, Some(&read_by_dana))
            .unwrap_err(),
        "the policies",
    );
    assert_eq!(ws.policy().unwrap(), theirs, "Lee's change stands");
}
