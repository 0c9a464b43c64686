//! The demo workspace: a realistic institution, its units and the people in every role.
//! Later capabilities add their own demo data here.

use credence_domain::institution::{check_logo, InstitutionInput};
use credence_domain::person::{PersonInput, Role};
use credence_domain::unit::{UnitInput, UnitKind};
use credence_store::audit::Actor;
use credence_store::{institution, prefs, sql::Sql};

use crate::kernel::{record, Need, WorkspaceStatus};
use crate::master::{insert_person, insert_unit};
use crate::{AppError, Workspace};

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
    // Also assesses claims of prior learning in computing and data.
    (
        "Chen Wei",
        "chen.wei",
        Some("CS"),
        &[CommitteeMember, Assessor],
    ),
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
    // Runs the issuing desk at graduation events: issues badges, revokes nothing.
    (
        "Lucía Fernández",
        "lucia.fernandez",
        Some("PROV"),
        &[Issuer],
    ),
];

/// Demo records are attributed to this name, so nobody mistakes them for real work.
const DEMO_ACTOR: &str = "demo data";

pub(crate) fn seed(tx: &dyn Sql, _setup: &Actor) -> Result<(), AppError> {
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
    crate::catalog::seed_taxonomy(tx, actor)?;

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
    seed_proposals(tx, actor, &ids)?;
    Ok(())
}

use credence_domain::proposal::{ProposalContent, ProposalStatus, Workload};
use credence_domain::taxonomy::{Pathway, PathwayPart, StackRule};
use credence_store::proposals as repo;

/// (title, unit, category, level, credit-bearing, skill, status)
const PROPOSALS: &[(&str, &str, &str, &str, bool, &str, ProposalStatus)] = {
    use ProposalStatus::*;
    &[
        (
            "Robotics",
            "ME",
            "academic",
            "intermediate",
            true,
            "technology",
            Complete,
        ),
        (
            "Machine Learning",
            "CS",
            "academic",
            "intermediate",
            true,
            "critical-thinking",
            Complete,
        ),
        (
            "Embedded Systems Design",
            "EE",
            "academic",
            "advanced",
            true,
            "technology",
            Complete,
        ),
        (
            "Data Visualization for Decision Makers",
            "CS",
            "professional",
            "basic",
            false,
            "communication",
            Complete,
        ),
        (
            "Cloud Computing Essentials",
            "CS",
            "professional",
            "basic",
            false,
            "technology",
            Complete,
        ),
        (
            "Sustainable Manufacturing",
            "ME",
            "academic",
            "intermediate",
            true,
            "critical-thinking",
            Complete,
        ),
        (
            "Financial Accounting Analytics",
            "ACCT",
            "academic",
            "intermediate",
            true,
            "critical-thinking",
            Complete,
        ),
        (
            "Digital Marketing Strategy",
            "MKT",
            "professional",
            "intermediate",
            false,
            "communication",
            Complete,
        ),
        (
            "Clinical Leadership in Nursing",
            "NURS",
            "academic",
            "advanced",
            true,
            "leadership",
            Complete,
        ),
        (
            "Peer Mentoring",
            "LEAD",
            "student-life",
            "basic",
            false,
            "leadership",
            Complete,
        ),
        (
            "Career Readiness Foundations",
            "CAREER",
            "student-life",
            "basic",
            false,
            "career-self-development",
            Complete,
        ),
        (
            "Intercultural Teamwork",
            "LEAD",
            "student-life",
            "intermediate",
            false,
            "teamwork",
            Complete,
        ),
        (
            "Cybersecurity Fundamentals",
            "CS",
            "academic",
            "basic",
            true,
            "technology",
            Complete,
        ),
        (
            "Project Management Practice",
            "BUS",
            "professional",
            "intermediate",
            false,
            "teamwork",
            Complete,
        ),
        (
            "Power Electronics",
            "EE",
            "academic",
            "advanced",
            true,
            "technology",
            Submitted,
        ),
        (
            "Healthcare Informatics",
            "HLTH",
            "academic",
            "intermediate",
            true,
            "technology",
            Submitted,
        ),
        (
            "Brand Storytelling",
            "MKT",
            "professional",
            "basic",
            false,
            "communication",
            Submitted,
        ),
        (
            "Forensic Accounting",
            "ACCT",
            "academic",
            "advanced",
            true,
            "critical-thinking",
            Submitted,
        ),
        (
            "Inclusive Leadership",
            "LEAD",
            "student-life",
            "intermediate",
            false,
            "equity-inclusion",
            Submitted,
        ),
        (
            "Additive Manufacturing",
            "ME",
            "academic",
            "intermediate",
            true,
            "technology",
            Submitted,
        ),
        (
            "Public Speaking for Scientists",
            "CAREER",
            "student-life",
            "basic",
            false,
            "communication",
            Submitted,
        ),
        (
            "Natural Language Processing",
            "CS",
            "academic",
            "advanced",
            true,
            "critical-thinking",
            Submitted,
        ),
        (
            "Patient Safety and Quality",
            "NURS",
            "academic",
            "intermediate",
            true,
            "professionalism",
            Submitted,
        ),
        (
            "Entrepreneurial Mindset",
            "BUS",
            "professional",
            "basic",
            false,
            "career-self-development",
            Submitted,
        ),
        (
            "Computer Vision",
            "CS",
            "academic",
            "advanced",
            true,
            "technology",
            Draft,
        ),
        (
            "Renewable Energy Systems",
            "EE",
            "academic",
            "intermediate",
            true,
            "critical-thinking",
            Draft,
        ),
        (
            "Supply Chain Analytics",
            "BUS",
            "professional",
            "intermediate",
            false,
            "critical-thinking",
            Draft,
        ),
        (
            "Community Health Outreach",
            "HLTH",
            "student-life",
            "basic",
            false,
            "equity-inclusion",
            Draft,
        ),
        (
            "Tax Preparation Clinic",
            "ACCT",
            "student-life",
            "basic",
            false,
            "professionalism",
            Draft,
        ),
        (
            "Social Media Analytics",
            "MKT",
            "professional",
            "intermediate",
            false,
            "technology",
            Draft,
        ),
        (
            "Human-Robot Interaction",
            "ME",
            "academic",
            "advanced",
            true,
            "teamwork",
            Draft,
        ),
        (
            "Interview Skills Workshop",
            "CAREER",
            "participation",
            "basic",
            false,
            "career-self-development",
            Draft,
        ),
        (
            "Student Government Service",
            "LEAD",
            "participation",
            "basic",
            false,
            "leadership",
            Draft,
        ),
        (
            "Quantum Computing Primer",
            "CS",
            "academic",
            "advanced",
            true,
            "critical-thinking",
            Draft,
        ),
        (
            "Biomechanics Lab Skills",
            "ME",
            "academic",
            "intermediate",
            true,
            "technology",
            Draft,
        ),
        (
            "Ethics in Artificial Intelligence",
            "CS",
            "academic",
            "intermediate",
            true,
            "equity-inclusion",
            Draft,
        ),
        (
            "Introductory Spreadsheet Skills",
            "ACCT",
            "professional",
            "basic",
            true,
            "technology",
            Withdrawn,
        ),
        (
            "Event Planning Basics",
            "LEAD",
            "student-life",
            "basic",
            false,
            "teamwork",
            Withdrawn,
        ),
        (
            "Wearable Devices",
            "EE",
            "academic",
            "intermediate",
            true,
            "technology",
            Withdrawn,
        ),
        (
            "Retail Management",
            "BUS",
            "professional",
            "basic",
            false,
            "leadership",
            Withdrawn,
        ),
    ]
};

fn seed_proposals(
    tx: &dyn Sql,
    actor: &Actor,
    units: &std::collections::HashMap<&str, i64>,
) -> Result<(), AppError> {
    let skill_names: std::collections::HashMap<String, String> = credence_domain::taxonomy::nace()
        .into_iter()
        .map(|s| (s.code, s.name))
        .collect();
    let mut ids = std::collections::HashMap::new();
    for (i, (title, unit, category, level, credit, skill, status)) in PROPOSALS.iter().enumerate() {
        let topic = title.to_lowercase();
        let skill_name = skill_names
            .get(*skill)
            .cloned()
            .unwrap_or_default()
            .to_lowercase();
        let content = ProposalContent {
            title: (*title).into(),
            description: format!(
                "A microcredential in {topic} for students and working professionals."
            ),
            unit_id: units.get(unit).copied(),
            contact_email: "microcredentials@northfield.edu".into(),
            credit_status: Some(if *credit { "credit" } else { "non-credit" }.into()),
            category: Some((*category).into()),
            level: Some((*level).into()),
            audiences: vec!["students".into()],
            credential_forms: vec!["badge".into()],
            outcomes: vec![
                format!("Explain the core concepts and vocabulary of {topic}."),
                format!("Apply {topic} methods to a realistic case, showing {skill_name}."),
                format!("Evaluate and present the results of a {topic} project."),
            ],
            skills: vec![format!("NACE:{skill}")],
            workload: Workload {
                // Two drafts are left below the credit range, for the policy panel to show.
                credits: credit.then_some(if *status == ProposalStatus::Draft && i % 5 == 0 {
                    3.0
                } else {
                    6.0 + (i % 4) as f64 * 2.0
                }),
                ects: None,
                hours: Some(if *credit {
                    90.0
                } else {
                    20.0 + (i % 3) as f64 * 10.0
                }),
            },
            assessment_types: if *category == "participation" {
                vec![]
            } else {
                vec!["project".into()]
            },
            delivery_mode: Some(["online", "on-campus", "hybrid"][i % 3].into()),
            review_cycle_years: Some(1 + (i % 3) as u32),
            quality_assurance: Some("Annual review by the curriculum committee".into()),
            ..Default::default()
        };
        let id = repo::insert(tx, &content, actor.id)?;
        record(
            tx,
            actor,
            "proposal",
            &id.to_string(),
            "create",
            None::<()>,
            Some(&content),
        )?;
        let steps: &[ProposalStatus] = match status {
            ProposalStatus::Draft => &[],
            ProposalStatus::Submitted => &[ProposalStatus::Submitted],
            ProposalStatus::Complete => &[ProposalStatus::Submitted, ProposalStatus::Complete],
            ProposalStatus::Withdrawn => &[ProposalStatus::Submitted, ProposalStatus::Withdrawn],
            // The committee's states are reached through its use cases (see `seed_review`).
            ProposalStatus::Approved | ProposalStatus::Active | ProposalStatus::Rejected => &[],
        };
        for step in steps {
            let freeze = (*step == ProposalStatus::Submitted).then_some(actor.id);
            repo::set_status(tx, id, *step, freeze)?;
            record(
                tx,
                actor,
                "proposal",
                &id.to_string(),
                step.label(),
                None::<()>,
                Some(&serde_json::json!({ "status": step })),
            )?;
        }
        if *status == ProposalStatus::Complete {
            crate::lifecycle::route::enter_route(tx, id)?;
        }
        ids.insert(*title, id);
    }
    let (Some(&robotics), Some(&ml)) = (ids.get("Robotics"), ids.get("Machine Learning")) else {
        return Ok(());
    };
    let ai = Pathway {
        id: 0,
        name: "Artificial Intelligence".into(),
        rule: StackRule::All,
        parts: vec![
            PathwayPart::Credential(robotics),
            PathwayPart::Credential(ml),
        ],
    };
    let id = credence_store::taxonomy::put_pathway(tx, &ai)?;
    record(
        tx,
        actor,
        "pathway",
        &id.to_string(),
        "create",
        None::<()>,
        Some(&Pathway { id, ..ai }),
    )?;
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

/// The passphrase of every demo signing key (the demo is for trying Credence, never for
/// real decisions; its keys are sealed with cheap parameters).
pub const DEMO_PASSPHRASE: &str = "northfield demo";

/// The committee's year in the demo: a committee of nine (a chair, five voting members, two
/// non-voting members and an alternate), signing keys, a completed meeting with minutes
/// (a conditional approval with an overdue condition, an information item received, an
/// item tabled), proposals at every step, and the next meeting scheduled. Runs through the
/// same use cases a committee would, so every vote and sign-off is signed.
pub(crate) fn seed_review(ws: &crate::Workspace) -> Result<(), AppError> {
    use credence_domain::review::{
        Condition, Decision, Membership, Seat, Threshold, ThresholdBase, VoteChoice, VotingRules,
    };
    let id = |email: &str| -> Result<i64, AppError> {
        Ok(ws.person_by_email(&format!("{email}@northfield.edu"))?.id)
    };
    let proposal = |title: &str| -> Result<i64, AppError> {
        let page = ws.proposals(&crate::proposals::ProposalQuery {
            search: Some(title.into()),
            ..Default::default()
        })?;
        page.rows
            .into_iter()
            .find(|r| r.title == title)
            .map(|r| r.id)
            .ok_or_else(|| AppError::not_found(format!("the demo has no proposal {title}")))
    };
    let coordinator = Some(id("dana.whitfield")?);
    let today = chrono::Utc::now().date_naive();
    let ago = |offset: u64| (today - chrono::Days::new(offset)).to_string();

    // The coordinator's key is the workspace's first; everyone else enrols with the code
    // the coordinator issues them, as in use.
    ws.create_signing_key_with(
        coordinator,
        DEMO_PASSPHRASE,
        credence_vc::keys::KdfParams::MIN,
    )?;
    for who in [
        "marcus.oyelaran",
        "priya.raman",
        "sofia.rossi",
        "david.cohen",
        "amara.nwosu",
        "grace.kim",
        "robert.lindqvist",
        "fatima.benali",
        "chen.wei",
        "olivia.mensah",
        "mateo.garcia",
        "ingrid.solberg",
        "arjun.mehta",
        "samuel.adeyemi",
        "eleanor.park",
    ] {
        let enrolment = ws.new_enrolment(coordinator, id(who)?)?;
        ws.enrol_with(
            enrolment.person_id,
            Some(&enrolment.code),
            DEMO_PASSPHRASE,
            credence_vc::keys::KdfParams::MIN,
        )?;
    }
    let term = |person: &str, seat: Seat, alternate_for: Option<i64>| -> Result<(), AppError> {
        ws.add_member(
            coordinator,
            &Membership {
                person_id: id(person)?,
                seat,
                alternate_for,
                term_start: "2025-09-01".into(),
                term_end: "2027-08-31".into(),
            },
        )?;
        Ok(())
    };
    term("robert.lindqvist", Seat::Chair, None)?;
    for v in [
        "fatima.benali",
        "chen.wei",
        "olivia.mensah",
        "mateo.garcia",
        "arjun.mehta",
    ] {
        term(v, Seat::Voting, None)?;
    }
    term("ingrid.solberg", Seat::NonVoting, None)?;
    term("marcus.oyelaran", Seat::NonVoting, None)?;
    term("samuel.adeyemi", Seat::Alternate, Some(id("arjun.mehta")?))?;
    ws.set_voting_rules(
        coordinator,
        VotingRules {
            quorum: 4,
            threshold: Threshold::SimpleMajority,
            base: ThresholdBase::Present,
        },
    )?;

    let sign = |who: &str, title: &str| -> Result<(), AppError> {
        ws.sign_off(Some(id(who)?), proposal(title)?, true, "", DEMO_PASSPHRASE)?;
        Ok(())
    };
    // Machine Learning and Cybersecurity (credit, CS): unit head, then dean.
    sign("sofia.rossi", "Machine Learning")?;
    sign("david.cohen", "Machine Learning")?;
    sign("sofia.rossi", "Cybersecurity Fundamentals")?;
    // Non-credit items go to the committee for information.
    sign("sofia.rossi", "Data Visualization for Decision Makers")?;
    sign("sofia.rossi", "Cloud Computing Essentials")?;
    sign("grace.kim", "Career Readiness Foundations")?;

    // The October meeting.
    let chair = Some(id("robert.lindqvist")?);
    let ml = proposal("Machine Learning")?;
    let dataviz = proposal("Data Visualization for Decision Makers")?;
    let cloud = proposal("Cloud Computing Essentials")?;
    let october = ws.schedule_meeting(chair, "October meeting", &ago(38))?.id;
    ws.set_agenda(chair, october, &[ml, dataviz, cloud])?;
    let present: Vec<i64> = [
        "robert.lindqvist",
        "fatima.benali",
        "chen.wei",
        "olivia.mensah",
        "mateo.garcia",
        "samuel.adeyemi",
        "ingrid.solberg",
    ]
    .iter()
    .map(|p| id(p))
    .collect::<Result<_, _>>()?;
    ws.record_attendance(chair, october, &present)?;
    let priya = id("priya.raman")?;
    let motion = ws
        .move_motion(
            chair,
            october,
            ml,
            &Decision::ApproveWithConditions {
                conditions: vec![
                    Condition {
                        text: "Add a grading rubric for the capstone project".into(),
                        owner_id: priya,
                        due: ago(10),
                    },
                    Condition {
                        text: "Confirm GPU lab capacity with the dean".into(),
                        owner_id: id("david.cohen")?,
                        due: (today + chrono::Days::new(20)).to_string(),
                    },
                ],
            },
            id("fatima.benali")?,
            id("olivia.mensah")?,
        )?
        .motions
        .last()
        .map(|m| m.id)
        .ok_or_else(|| AppError::not_found("the demo motion"))?;
    for (who, choice) in [
        ("robert.lindqvist", VoteChoice::For),
        ("fatima.benali", VoteChoice::For),
        ("olivia.mensah", VoteChoice::For),
        ("mateo.garcia", VoteChoice::Against),
        ("samuel.adeyemi", VoteChoice::Abstain),
    ] {
        ws.cast_vote(Some(id(who)?), motion, choice, DEMO_PASSPHRASE)?;
    }
    ws.close_motion(chair, motion, DEMO_PASSPHRASE)?;
    ws.acknowledge_item(chair, october, dataviz)?;
    ws.close_meeting(chair, october)?;

    // The next meeting, with the tabled item and what has arrived since.
    let career = proposal("Career Readiness Foundations")?;
    let december = ws
        .schedule_meeting(
            chair,
            "December meeting",
            &(today + chrono::Days::new(14)).to_string(),
        )?
        .id;
    ws.set_agenda(chair, december, &[cloud, career])?;

    // History for the service clock: the steps took days, and one sign-off is overdue.
    ws.backdate_demo_steps(
        coordinator,
        &[
            (ml, &[(52, 43), (43, 41), (41, 38), (38, 0)][..]),
            (dataviz, &[(50, 44), (44, 38)][..]),
            (cloud, &[(49, 41), (41, 0)][..]),
            (career, &[(20, 12), (12, 0)][..]),
            (
                proposal("Cybersecurity Fundamentals")?,
                &[(33, 25), (25, 0)][..],
            ),
            (proposal("Project Management Practice")?, &[(30, 0)][..]),
        ],
    )?;
    Ok(())
}

/// The academic year the demo is in, and the next: fall, spring and summer terms.
fn seed_calendar(ws: &crate::Workspace, coordinator: Option<i64>) -> Result<(), AppError> {
    use chrono::Datelike;
    use credence_domain::calendar::AcademicTerm;
    let today = chrono::Utc::now().date_naive();
    let first = if today.month() >= 8 {
        today.year()
    } else {
        today.year() - 1
    };
    let mut terms = Vec::new();
    for y in [first, first + 1] {
        let short = |year: i32| year % 100;
        terms.push(AcademicTerm {
            code: format!("FA{:02}", short(y)),
            name: format!("Fall {y}"),
            starts_on: format!("{y}-08-24"),
            ends_on: format!("{y}-12-18"),
        });
        terms.push(AcademicTerm {
            code: format!("SP{:02}", short(y + 1)),
            name: format!("Spring {}", y + 1),
            starts_on: format!("{}-01-11", y + 1),
            ends_on: format!("{}-05-07", y + 1),
        });
        terms.push(AcademicTerm {
            code: format!("SU{:02}", short(y + 1)),
            name: format!("Summer {}", y + 1),
            starts_on: format!("{}-05-24", y + 1),
            ends_on: format!("{}-08-06", y + 1),
        });
    }
    ws.set_calendar(coordinator, &terms)?;
    Ok(())
}

/// The demo's awarding: the institution's issuer key (passphrase `demo`), its credential
/// base URL, awards of the active microcredential to learners named in several scripts, and
/// one revoked award. The keys are left locked.
pub(crate) fn seed_issuing(ws: &crate::Workspace) -> Result<(), AppError> {
    use credence_domain::award::LearnerInput;
    let coordinator = Some(ws.person_by_email("dana.whitfield@northfield.edu")?.id);
    ws.set_issuing_settings(
        coordinator,
        &crate::issuing::IssuingSettings {
            base_url: Some("https://credentials.northfield.edu".into()),
            cryptosuite: "eddsa-rdfc-2022".into(),
            eu_recommendation: false,
            verify_url: None,
            linkedin_organization_id: Some("90412873".into()),
            expiry_notice_days: credence_domain::award::DEFAULT_EXPIRY_NOTICE_DAYS,
        },
    )?;
    ws.rotate_issuer_key_with(coordinator, "demo", None, credence_vc::keys::KdfParams::MIN)?;
    seed_certificate_template(ws, coordinator)?;
    seed_calendar(ws, coordinator)?;
    let Some(mc) = ws.microcredentials()?.into_iter().next() else {
        ws.lock_issuer();
        return Ok(());
    };
    let today = chrono::Utc::now().date_naive();
    let learners: Vec<LearnerInput> = [
        ("Zoë Ångström", "zoe.angstrom@example.org", "A"),
        ("Νίκος Παπαδόπουλος", "nikos.papadopoulos@example.org", "A-"),
        ("Анна Смирнова", "anna.smirnova@example.org", "B+"),
        ("Nguyễn Thị Lan", "lan.nguyen@example.org", "A"),
        ("Aroha Ngata", "aroha.ngata@example.org", ""),
        ("Mateo García", "mateo.garcia@example.org", "B"),
        ("Siobhán O'Brien", "siobhan.obrien@example.org", "Pass"),
    ]
    .into_iter()
    .map(|(name, email, grade)| LearnerInput {
        name: name.into(),
        email: email.into(),
        completed_on: (today - chrono::Days::new(3)).to_string(),
        grade: grade.into(),
        ..Default::default()
    })
    .collect();
    let report = ws.issue(coordinator, &mc.slug, &learners);
    ws.lock_issuer();
    let report = report?;
    if let Some(last) = report.rows.last() {
        ws.revoke(
            coordinator,
            std::slice::from_ref(&last.award.credential_id),
            "Issued in error: the learner withdrew before the final assessment.",
        )?;
    }
    // It has been offered for a whole review cycle and three weeks: its periodic review is due.
    let cycle = ws
        .proposal(mc.proposal_id)?
        .content
        .review_cycle_years
        .unwrap_or(1);
    ws.backdate_demo_version(coordinator, &mc.slug, 1, 365 * u64::from(cycle) + 21)?;
    Ok(())
}

/// A signature-like image: a dark stroke on transparency, as a scanned signature is.
pub(crate) fn sample_signature_png(seed: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(480, 140, |x, y| {
        let wave = 70.0
            + 35.0 * ((x as f32 + seed as f32 * 17.0) / 37.0).sin()
            + 12.0 * ((x as f32) / 11.0).cos();
        if (y as f32 - wave).abs() < 3.0 && x > 20 && x < 460 {
            image::Rgba([20, 24, 70, 255])
        } else {
            image::Rgba([255, 255, 255, 0])
        }
    });
    let mut png = Vec::new();
    let _ = img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png);
    png
}

/// The institution's certificate: two signatories with their signatures.
pub(crate) fn seed_certificate_template(
    ws: &crate::Workspace,
    coordinator: Option<credence_domain::Id>,
) -> Result<(), AppError> {
    use credence_domain::certificate::{Signatory, TemplateInput};
    let mut signatories = Vec::new();
    for (i, (name, title)) in [
        ("Dana Whitfield", "Alternative Credentials Coordinator"),
        ("Prof. Lars Eriksson", "Chair, Microcredentials Committee"),
    ]
    .into_iter()
    .enumerate()
    {
        let sha =
            ws.add_signature_image(coordinator, "signature", &sample_signature_png(i as u32))?;
        signatories.push(Signatory {
            name: name.into(),
            title: title.into(),
            signature: Some(sha),
        });
    }
    ws.save_certificate_template(
        coordinator,
        None,
        &TemplateInput {
            name: "Northfield standard".into(),
            signatories,
            ..TemplateInput::default()
        },
    )?;
    Ok(())
}

/// The rest of a microcredential's life, on four more microcredentials of the Department of
/// Computer Science (proposed by Priya Raman, signed off by Sofia Rossi, received at the
/// November meeting): one at version 2 through an approved major change, with awards under
/// both versions and a minor change waiting for the coordinator; one suspended; one in
/// teach-out; one retired, its awards still valid. (The first demo microcredential keeps its
/// periodic review due.)
pub(crate) fn seed_lifecycle(ws: &crate::Workspace) -> Result<(), AppError> {
    use credence_domain::award::LearnerInput;
    use credence_domain::case::{ChangeDetails, TerminationDetails};
    use credence_domain::proposal::ProposalEvent;
    use credence_domain::review::{Decision, VoteChoice};
    let id = |email: &str| -> Result<i64, AppError> {
        Ok(ws.person_by_email(&format!("{email}@northfield.edu"))?.id)
    };
    let dana = id("dana.whitfield")?;
    let coordinator = Some(dana);
    let priya = Some(id("priya.raman")?);
    let sofia = Some(id("sofia.rossi")?);
    let chair = Some(id("robert.lindqvist")?);
    let voters = [
        "fatima.benali",
        "olivia.mensah",
        "mateo.garcia",
        "arjun.mehta",
    ];
    let mut present = vec![id("robert.lindqvist")?];
    for v in voters {
        present.push(id(v)?);
    }
    let today = chrono::Utc::now().date_naive();
    let day = |offset: i64| {
        if offset >= 0 {
            (today + chrono::Days::new(offset as u64)).to_string()
        } else {
            (today - chrono::Days::new(offset.unsigned_abs())).to_string()
        }
    };
    let Some(model) = ws
        .proposals(&crate::proposals::ProposalQuery {
            search: Some("Data Visualization".into()),
            ..Default::default()
        })?
        .rows
        .into_iter()
        .next()
    else {
        return Ok(());
    };
    let model = ws.proposal(model.id)?.content;
    let topics = [
        ("Spreadsheet Modelling Basics", "spreadsheet modelling"),
        ("Research Data Management", "research data management"),
        ("Web Accessibility Essentials", "web accessibility"),
        ("Legacy Systems Maintenance", "legacy systems maintenance"),
    ];
    let mut cases = Vec::new();
    for (title, topic) in topics {
        let content = credence_domain::proposal::ProposalContent {
            title: title.into(),
            short_title: None,
            description: format!(
                "A microcredential in {topic} for students and working professionals."
            ),
            outcomes: vec![
                format!("Explain the core concepts and vocabulary of {topic}."),
                format!("Apply {topic} methods to a realistic case, showing communication."),
                format!("Evaluate and present the results of a {topic} project."),
            ],
            language: Some("en".into()),
            // One microcredential is also published in Spanish.
            translations: if title == "Spreadsheet Modelling Basics" {
                vec![credence_domain::proposal::Translation {
                    language: "es".into(),
                    title: "Fundamentos de modelado con hojas de cálculo".into(),
                    short_title: Some("Modelado con hojas de cálculo".into()),
                    description: "Una microcredencial de modelado con hojas de cálculo para estudiantes y profesionales en activo.".into(),
                    outcomes: vec![
                        "Explicar los conceptos y el vocabulario básicos del modelado con hojas de cálculo.".into(),
                        "Aplicar métodos de modelado con hojas de cálculo a un caso realista, mostrando comunicación.".into(),
                        "Evaluar y presentar los resultados de un proyecto de modelado con hojas de cálculo.".into(),
                    ],
                }]
            } else {
                Vec::new()
            },
            // Spreadsheet skills are certified for a year: one award is about to expire, and
            // shows in the coordinator's "Things to do" for renewal.
            expiry_months: (title == "Spreadsheet Modelling Basics").then_some(12),
            attachments: Vec::new(),
            custom_badge: None,
            ..model.clone()
        };
        let p = ws.create_proposal(priya, &content)?;
        ws.move_proposal(priya, p.id, &ProposalEvent::Submit)?;
        ws.move_proposal(coordinator, p.id, &ProposalEvent::AcceptAsComplete)?;
        ws.sign_off(sofia, p.id, true, "", DEMO_PASSPHRASE)?;
        cases.push(p.id);
    }
    let november = ws
        .schedule_meeting(chair, "November meeting", &day(-17))?
        .id;
    ws.set_agenda(chair, november, &cases)?;
    ws.record_attendance(chair, november, &present)?;
    for case in &cases {
        ws.acknowledge_item(chair, november, *case)?;
    }
    ws.close_meeting(chair, november)?;
    let slugs: Vec<String> = cases
        .iter()
        .map(|c| Ok(ws.microcredential(None, &c.to_string())?.slug))
        .collect::<Result<_, AppError>>()?;
    let (spreadsheets, research, accessibility, legacy) =
        (&slugs[0], &slugs[1], &slugs[2], &slugs[3]);
    for slug in &slugs {
        // The spreadsheets one has been offered for most of a year (its review not yet due).
        let days = if slug == spreadsheets { 350 } else { 200 };
        ws.backdate_demo_version(coordinator, slug, 1, days)?;
    }

    // Awards before the changes and terminations.
    let learner = |name: &str, email: &str, ago: i64| LearnerInput {
        name: name.into(),
        email: email.into(),
        completed_on: day(-ago),
        ..Default::default()
    };
    let issue = |slug: &str, learners: &[LearnerInput]| -> Result<(), AppError> {
        ws.sign_in(dana, DEMO_PASSPHRASE)?;
        ws.unlock_issuer("demo")?;
        let report = ws.issue(coordinator, slug, learners);
        ws.lock_issuer();
        report.map(|_| ())
    };
    issue(
        spreadsheets,
        &[
            learner("Kofi Boateng", "kofi.boateng@example.org", 340),
            learner("Ingrid Haugen", "ingrid.haugen@example.org", 60),
        ],
    )?;
    issue(
        legacy,
        &[
            learner("Tomasz Wiśniewski", "tomasz.wisniewski@example.org", 120),
            learner("Leilani Kahale", "leilani.kahale@example.org", 45),
        ],
    )?;

    // A major change to the spreadsheets one: an outcome added; approved as version 2.
    let next_term = ws
        .calendar()?
        .into_iter()
        .find(|t| t.ends_on >= day(0))
        .map(|t| t.code);
    let change = ws.start_change(priya, spreadsheets)?;
    let mut content = ws.proposal(change.case_id)?.content;
    content
        .outcomes
        .push("Check a model's assumptions with sensitivity tables.".into());
    for t in &mut content.translations {
        t.outcomes
            .push("Comprobar los supuestos de un modelo con tablas de sensibilidad.".into());
    }
    ws.save_draft(priya, change.case_id, &content)?;
    ws.set_change_details(
        priya,
        change.case_id,
        &ChangeDetails {
            rationale: "Employers asked for sensitivity analysis".into(),
            effective_term: next_term.clone(),
            learner_notice: "The course page and an email to the current cohort".into(),
        },
    )?;
    ws.move_proposal(priya, change.case_id, &ProposalEvent::Submit)?;
    ws.move_proposal(
        coordinator,
        change.case_id,
        &ProposalEvent::AcceptAsComplete,
    )?;
    ws.sign_off(sofia, change.case_id, true, "", DEMO_PASSPHRASE)?;
    let extra = ws
        .schedule_meeting(chair, "Extraordinary meeting", &day(-10))?
        .id;
    ws.set_agenda(chair, extra, &[change.case_id])?;
    ws.record_attendance(chair, extra, &present)?;
    ws.acknowledge_item(chair, extra, change.case_id)?;
    ws.close_meeting(chair, extra)?;
    // In effect for a month, so awards were made under both versions.
    ws.backdate_demo_version(coordinator, spreadsheets, 2, 30)?;
    issue(
        spreadsheets,
        &[learner("Amina Diallo", "amina.diallo@example.org", 7)],
    )?;

    // A minor change to it waits for the coordinator's triage.
    let minor = ws.start_change(priya, spreadsheets)?;
    let mut content = ws.proposal(minor.case_id)?.content;
    content.description = format!(
        "{} Now with worked examples from local businesses.",
        content.description
    );
    ws.save_draft(priya, minor.case_id, &content)?;
    ws.set_change_details(
        priya,
        minor.case_id,
        &ChangeDetails {
            rationale: "Learners asked for examples closer to home".into(),
            effective_term: next_term,
            learner_notice: "None needed: nothing assessed changes".into(),
        },
    )?;
    ws.move_proposal(priya, minor.case_id, &ProposalEvent::Submit)?;

    // Research data management is suspended while its lab is refitted.
    ws.suspend(
        coordinator,
        research,
        "The data lab is being refitted until spring",
    )?;

    // Two terminations, decided at one meeting: web accessibility into a teach-out, legacy
    // systems retired once its teach-out was ended early.
    let accessibility_end = ws.request_termination(
        priya,
        accessibility,
        &TerminationDetails {
            reason: "Folded into the new digital inclusion certificate".into(),
            last_intake_on: Some(day(30)),
            teach_out_until: day(180),
        },
    )?;
    let legacy_end = ws.request_termination(
        priya,
        legacy,
        &TerminationDetails {
            reason: "No longer offered: the systems it taught are retired".into(),
            last_intake_on: None,
            teach_out_until: day(60),
        },
    )?;
    let ends = [accessibility_end.case_id, legacy_end.case_id];
    for case in ends {
        ws.move_proposal(coordinator, case, &ProposalEvent::AcceptAsComplete)?;
        ws.sign_off(sofia, case, true, "", DEMO_PASSPHRASE)?;
    }
    let vote = ws
        .schedule_meeting(chair, "Terminations meeting", &day(-3))?
        .id;
    ws.set_agenda(chair, vote, &ends)?;
    ws.record_attendance(chair, vote, &present)?;
    for case in ends {
        let motion = ws
            .move_motion(
                chair,
                vote,
                case,
                &Decision::Approve,
                id("fatima.benali")?,
                id("olivia.mensah")?,
            )?
            .motions
            .last()
            .map(|m| m.id)
            .ok_or_else(|| AppError::not_found("the demo's motion"))?;
        for v in voters {
            ws.cast_vote(Some(id(v)?), motion, VoteChoice::For, DEMO_PASSPHRASE)?;
        }
        ws.close_motion(chair, motion, DEMO_PASSPHRASE)?;
    }
    ws.close_meeting(chair, vote)?;
    ws.end_teach_out(coordinator, legacy)?;
    Ok(())
}

impl Workspace {
    /// Fills a new workspace with the demo institution, units and people.
    pub fn seed_demo(&self) -> Result<WorkspaceStatus, AppError> {
        self.write(None, Need::Setup, crate::demo::seed)?;
        // The demo acts as many people, each signing with their own key; their passphrase
        // is the demo's. Nobody is left signed in.
        let theirs = self
            .unlocker
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        self.set_unlocker(Some(Box::new(|_| {
            Ok(crate::kernel::secret::Passphrase::new(
                crate::demo::DEMO_PASSPHRASE.into(),
            ))
        })));
        let seeded = crate::demo::seed_review(self)
            .and_then(|_| crate::demo::seed_issuing(self))
            .and_then(|_| crate::demo::seed_lifecycle(self));
        self.set_unlocker(theirs);
        self.sign_out();
        seeded?;
        // The coordinator is the one to sign in as first.
        if let Some(p) = self
            .people()?
            .into_iter()
            .find(|p| p.has_role(Role::Coordinator))
        {
            self.remember_acting(p.id)?;
        }
        self.status()
    }
}
