//! The demo workspace: a realistic institution, its units and the people in every role.
//! Later capabilities add their own demo data here.

use credence_domain::institution::{check_logo, InstitutionInput};
use credence_domain::person::{PersonInput, Role};
use credence_domain::unit::{UnitInput, UnitKind};
use credence_store::audit::Actor;
use credence_store::{institution, prefs, Transaction};

use crate::workspace::{insert_person, insert_unit, record};
use crate::AppError;

/// (code, name, kind, parent code)
const UNITS: &[(&str, &str, UnitKind, Option<&str>)] = &[
    ("ENG", "College of Engineering", UnitKind::College, None),
    (
        "CS",
        "Department of Computer Science",
        UnitKind::Department,
        Some("ENG"),
    ),
    (
        "ME",
        "Department of Mechanical Engineering",
        UnitKind::Department,
        Some("ENG"),
    ),
    (
        "EE",
        "Department of Electrical Engineering",
        UnitKind::Department,
        Some("ENG"),
    ),
    ("BUS", "School of Business", UnitKind::School, None),
    (
        "ACCT",
        "Department of Accounting",
        UnitKind::Department,
        Some("BUS"),
    ),
    (
        "MKT",
        "Department of Marketing",
        UnitKind::Department,
        Some("BUS"),
    ),
    (
        "HLTH",
        "College of Health Sciences",
        UnitKind::College,
        None,
    ),
    ("NURS", "School of Nursing", UnitKind::School, Some("HLTH")),
    (
        "CAREER",
        "Career Development Center",
        UnitKind::CoCurricularOffice,
        None,
    ),
    (
        "LEAD",
        "Office of Student Leadership",
        UnitKind::CoCurricularOffice,
        None,
    ),
    (
        "PROV",
        "Office of the Provost",
        UnitKind::AdministrativeOffice,
        None,
    ),
];

use Role::*;

/// (name, email local part, unit code, roles)
const PEOPLE: &[(&str, &str, Option<&str>, &[Role])] = &[
    (
        "Dana Whitfield",
        "dana.whitfield",
        Some("PROV"),
        &[Coordinator],
    ),
    (
        "Marcus Oyelaran",
        "marcus.oyelaran",
        Some("PROV"),
        &[Coordinator, CommitteeMember],
    ),
    ("Priya Raman", "priya.raman", Some("CS"), &[Proposer]),
    ("Tomás Herrera", "tomas.herrera", Some("ME"), &[Proposer]),
    ("Élodie Laurent", "elodie.laurent", Some("MKT"), &[Proposer]),
    ("Kwame Asante", "kwame.asante", Some("NURS"), &[Proposer]),
    (
        "Hannah Becker",
        "hannah.becker",
        Some("CAREER"),
        &[Proposer],
    ),
    (
        "Jun Takahashi",
        "jun.takahashi",
        Some("EE"),
        &[Proposer, CommitteeMember],
    ),
    ("Sofia Rossi", "sofia.rossi", Some("CS"), &[UnitApprover]),
    ("David Cohen", "david.cohen", Some("ENG"), &[UnitApprover]),
    ("Amara Nwosu", "amara.nwosu", Some("BUS"), &[UnitApprover]),
    (
        "Liam O'Connor",
        "liam.oconnor",
        Some("HLTH"),
        &[UnitApprover],
    ),
    ("Grace Kim", "grace.kim", Some("CAREER"), &[UnitApprover]),
    (
        "Robert Lindqvist",
        "robert.lindqvist",
        Some("ACCT"),
        &[CommitteeChair, CommitteeMember],
    ),
    (
        "Fatima Zahra Benali",
        "fatima.benali",
        Some("NURS"),
        &[CommitteeMember],
    ),
    ("Chen Wei", "chen.wei", Some("CS"), &[CommitteeMember]),
    (
        "Olivia Mensah",
        "olivia.mensah",
        Some("MKT"),
        &[CommitteeMember],
    ),
    (
        "Mateo García",
        "mateo.garcia",
        Some("ME"),
        &[CommitteeMember],
    ),
    (
        "Ingrid Solberg",
        "ingrid.solberg",
        Some("LEAD"),
        &[CommitteeMember],
    ),
    ("Arjun Mehta", "arjun.mehta", Some("EE"), &[CommitteeMember]),
    (
        "Nadia Petrova",
        "nadia.petrova",
        Some("HLTH"),
        &[CommitteeMember],
    ),
    (
        "Samuel Adeyemi",
        "samuel.adeyemi",
        Some("LEAD"),
        &[CommitteeMember],
    ),
    (
        "Eleanor Park",
        "eleanor.park",
        Some("PROV"),
        &[FinalApprover],
    ),
    (
        "Rachel Goldberg",
        "rachel.goldberg",
        Some("ACCT"),
        &[Proposer],
    ),
];

/// Demo records are attributed to this name, so nobody mistakes them for real work.
const DEMO_ACTOR: &str = "demo data";

pub(crate) fn seed(tx: &Transaction, _setup: &Actor) -> Result<(), AppError> {
    let actor = &Actor {
        id: None,
        name: DEMO_ACTOR.into(),
    };
    let profile = InstitutionInput {
        name: "Northfield University".into(),
        country: "US".into(),
        url: Some("https://www.northfield.edu".into()),
        email: Some("microcredentials@northfield.edu".into()),
    }
    .validate()?;
    institution::set(tx, &profile)?;
    let logo = crest();
    let facts = check_logo(&logo)?;
    institution::set_logo(tx, Some((&facts, &logo)))?;
    record(
        tx,
        actor,
        "institution",
        "1",
        "create",
        None::<()>,
        institution::get(tx)?,
    )?;
    crate::proposals::seed_taxonomy(tx, actor)?;

    let mut ids = std::collections::HashMap::new();
    for (code, name, kind, parent) in UNITS {
        let unit = insert_unit(
            tx,
            actor,
            &UnitInput {
                code: (*code).into(),
                name: (*name).into(),
                kind: *kind,
                parent_id: parent.and_then(|p| ids.get(p).copied()),
            },
        )?;
        ids.insert(*code, unit.id);
    }
    let mut first = None;
    for (name, local, unit, roles) in PEOPLE {
        let id = insert_person(
            tx,
            actor,
            &PersonInput {
                name: (*name).into(),
                email: format!("{local}@northfield.edu"),
                unit_id: unit.and_then(|u| ids.get(u).copied()),
                roles: roles.to_vec(),
            }
            .validate()?,
        )?;
        first.get_or_insert(id);
    }
    if let Some(coordinator) = first {
        prefs::set(tx, "acting_person_id", &coordinator.to_string())?;
    }
    Ok(())
}

/// A 256-pixel crest (navy shield, gold chevron) drawn in code, so the demo ships no binary.
fn crest() -> Vec<u8> {
    let size = 256u32;
    let navy = image::Rgba([24, 46, 94, 255]);
    let gold = image::Rgba([222, 174, 52, 255]);
    let img = image::RgbaImage::from_fn(size, size, |x, y| {
        let (fx, fy) = (x as f32 / size as f32, y as f32 / size as f32);
        // Shield: straight sides to 55% height, then a curve to the point at the bottom.
        let half = if fy < 0.55 {
            0.4
        } else {
            0.4 * (1.0 - ((fy - 0.55) / 0.4).powf(1.6)).max(0.0)
        };
        let inside = fy > 0.06 && fy < 0.95 && (fx - 0.5).abs() < half;
        if !inside {
            return image::Rgba([0, 0, 0, 0]);
        }
        let chevron = (fy - (0.62 - (fx - 0.5).abs() * 0.9)).abs() < 0.06;
        if chevron {
            gold
        } else {
            navy
        }
    });
    let mut png = Vec::new();
    // Encoding an in-memory image into a Vec cannot fail.
    let _ = img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png);
    png
}
