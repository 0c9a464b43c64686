//! Benchmarks that exercise the real use cases on a scratch workspace
//! (`credence bench audit`): figures for the README and the issue notes, not for tests.

use std::path::Path;
use std::time::Instant;

use credence_domain::person::{PersonInput, Role};
use credence_domain::unit::{UnitInput, UnitKind};
use serde::Serialize;

use crate::{AppError, OpenMode, SetupInput, Workspace};

/// Every demo person's passphrase (the issue benchmark signs in as the demo coordinator).
pub use crate::demo::DEMO_PASSPHRASE;

/// The passphrase of every key in a benchmark's scratch workspace.
const PASS: &str = "bench passphrase";

/// A new workspace with an institution and its coordinator, who acts; every person's
/// passphrase is [`PASS`], found by the workspace's unlocker as the command line would.
fn scratch(path: &Path) -> Result<(Workspace, Option<credence_domain::Id>), AppError> {
    let ws = Workspace::open(path, OpenMode::CreateIfMissing)?;
    ws.set_unlocker(Some(Box::new(|_| {
        Ok(crate::kernel::secret::Passphrase::new(PASS.into()))
    })));
    let status = ws.setup_with(
        &SetupInput {
            institution: credence_domain::institution::InstitutionInput {
                name: "Benchmark University".into(),
                country: "US".into(),
                url: None,
                email: None,
            },
            coordinator_name: "Bench Coordinator".into(),
            coordinator_email: "bench@bench.edu".into(),
        },
        PASS,
        credence_vc::keys::KdfParams::MIN,
    )?;
    let by = status.acting.map(|p| p.id);
    Ok((ws, by))
}

/// What `audit` measured.
#[derive(Debug, Clone, Serialize)]
pub struct AuditBench {
    /// Audited changes made (each its own transaction, as in use).
    pub changes: u64,
    pub changes_per_second: f64,
    /// Entries in the log when it was verified.
    pub entries: u64,
    pub verified_per_second: f64,
    pub file_bytes: u64,
}

/// Makes `changes` audited changes (alternately new units and edits of people) in a new
/// workspace at `path`, then verifies the whole chain.
pub fn audit(path: &Path, changes: u64) -> Result<AuditBench, AppError> {
    let (ws, by) = scratch(path)?;
    let start = Instant::now();
    let mut person = None;
    for i in 0..changes {
        if i % 2 == 0 {
            ws.create_unit(
                by,
                &UnitInput {
                    code: format!("U{i}"),
                    name: format!("Unit number {i}"),
                    kind: UnitKind::Department,
                    parent_id: None,
                },
            )?;
        } else {
            let input = PersonInput {
                name: format!("Member {i}"),
                email: "member@bench.edu".into(),
                unit_id: None,
                roles: vec![Role::CommitteeMember],
            };
            match person {
                None => person = Some(ws.create_person(by, &input)?.person.id),
                Some(id) => {
                    ws.update_person(by, id, &input)?;
                }
            }
        }
    }
    let changes_per_second = changes as f64 / start.elapsed().as_secs_f64();
    let start = Instant::now();
    let verdict = ws.verify_audit()?;
    let verified_per_second = verdict.checked as f64 / start.elapsed().as_secs_f64();
    if !verdict.holds() {
        return Err(AppError::new(
            crate::ErrorKind::Internal,
            "the benchmark's own audit chain does not verify",
        ));
    }
    drop(ws);
    Ok(AuditBench {
        changes,
        changes_per_second,
        entries: verdict.checked,
        verified_per_second,
        file_bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
    })
}

/// What `policy` measured.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyBench {
    pub evaluations: u64,
    pub microseconds_per_evaluation: f64,
    pub findings_per_evaluation: usize,
}

/// Evaluates every shipped rule (EU elements included) on a proposal that breaks several,
/// `evaluations` times, with NACE as the skills framework.
pub fn policy(evaluations: u64) -> PolicyBench {
    use credence_domain::policy::{PolicyContext, PolicySet};
    use credence_domain::proposal::{AcademicLevel, ProposalContent, Workload};
    use credence_domain::taxonomy::{nace, Facet, Term};

    let mut credit = Term::new(Facet::CreditStatus, "credit", "Credit-bearing", 1);
    credit.credit_bearing = true;
    let terms = vec![
        credit,
        Term::new(Facet::Category, "academic", "Academic", 1),
    ];
    let skills = nace();
    let ctx = PolicyContext {
        terms: &terms,
        skills: &skills,
        eu_opt_in: true,
    };
    let proposal = ProposalContent {
        title: "Leadership and Teamwork for Engineers".into(),
        credit_status: Some("credit".into()),
        category: Some("academic".into()),
        academic_level: Some(AcademicLevel::Graduate),
        outcomes: (0..8)
            .map(|i| format!("Outcome {i}: lead a team through a design review and report on it."))
            .collect(),
        skills: vec!["NACE:teamwork".into(), "NACE:communication".into()],
        workload: Workload {
            credits: Some(3.0),
            ects: None,
            hours: None,
        },
        ..Default::default()
    };
    let policy = PolicySet::shipped();
    let start = Instant::now();
    let mut findings = 0;
    for _ in 0..evaluations {
        findings = std::hint::black_box(policy.evaluate(&proposal, &ctx)).len();
    }
    PolicyBench {
        evaluations,
        microseconds_per_evaluation: start.elapsed().as_secs_f64() * 1e6
            / evaluations.max(1) as f64,
        findings_per_evaluation: findings,
    }
}

/// p50 and p95 of one query, in milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    pub query: String,
    pub p50_ms: f64,
    pub p95_ms: f64,
}

/// What `proposals` measured.
#[derive(Debug, Clone, Serialize)]
pub struct ProposalsBench {
    pub proposals: u64,
    pub outcomes: u64,
    pub import_seconds: f64,
    pub queries: Vec<Latency>,
}

fn latency(
    name: &str,
    runs: usize,
    mut f: impl FnMut(usize) -> Result<(), AppError>,
) -> Result<Latency, AppError> {
    let mut ms = Vec::with_capacity(runs);
    for i in 0..runs {
        let start = Instant::now();
        f(i)?;
        ms.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    Ok(Latency {
        query: name.into(),
        p50_ms: at(0.5),
        p95_ms: at(0.95),
    })
}

/// Fills a scratch workspace at `path` with `count` proposals of ten outcomes each (one
/// import), then times the proposals list at the app API: unfiltered, filtered, searched.
pub fn proposals(path: &Path, count: u64) -> Result<ProposalsBench, AppError> {
    use crate::proposals::ProposalQuery;
    use credence_domain::proposal::{ProposalContent, Workload};
    let (ws, by) = scratch(path)?;
    const TOPICS: [&str; 12] = [
        "robotics",
        "accounting",
        "nursing",
        "marketing",
        "leadership",
        "data",
        "energy",
        "design",
        "ethics",
        "security",
        "logistics",
        "writing",
    ];
    const CATEGORIES: [&str; 3] = ["academic", "student-life", "professional"];
    let contents: Vec<ProposalContent> = (0..count as usize)
        .map(|i| {
            let topic = TOPICS[i % TOPICS.len()];
            ProposalContent {
                title: format!(
                    "{} {topic} practice {i}",
                    ["Applied", "Foundations of", "Advanced"][i % 3]
                ),
                description: format!("A microcredential in {topic}, number {i}."),
                category: Some(CATEGORIES[i % 3].into()),
                level: Some(["basic", "intermediate", "advanced"][i % 3].into()),
                credit_status: Some(if i % 2 == 0 { "credit" } else { "non-credit" }.into()),
                outcomes: (0..10)
                    .map(|k| {
                        format!(
                            "Outcome {k}: apply {topic} method {} to case {i}.",
                            k * 7 % 13
                        )
                    })
                    .collect(),
                workload: Workload {
                    credits: Some(6.0),
                    ects: None,
                    hours: None,
                },
                ..Default::default()
            }
        })
        .collect();
    let start = Instant::now();
    ws.import_proposals(by, &contents)?;
    let import_seconds = start.elapsed().as_secs_f64();
    let runs = 200;
    let list = |q: ProposalQuery| -> Result<(), AppError> { ws.proposals(&q).map(|_| ()) };
    let queries = vec![
        latency("first page, unfiltered", runs, |i| {
            list(ProposalQuery {
                offset: Some((i as u32 % 50) * 100),
                ..Default::default()
            })
        })?,
        latency("filtered by status, category and level", runs, |i| {
            list(ProposalQuery {
                status: Some(credence_domain::proposal::ProposalStatus::Draft),
                category: Some(CATEGORIES[i % 3].into()),
                level: Some("intermediate".into()),
                ..Default::default()
            })
        })?,
        latency(
            "a block of 200 deep in the list, sorted by title",
            runs,
            |i| {
                list(ProposalQuery {
                    sort: Some(credence_domain::proposal::ProposalSort::Title),
                    offset: Some((i as u32 % 50) * 200),
                    limit: Some(200),
                    ..Default::default()
                })
            },
        )?,
        latency("full-text search", runs, |i| {
            list(ProposalQuery {
                search: Some(format!("{} method", TOPICS[i % TOPICS.len()])),
                ..Default::default()
            })
        })?,
        latency("one proposal's policy and duplication check", runs, |i| {
            ws.check_proposal(None, &contents[i % contents.len()])
                .map(|_| ())
        })?,
    ];
    Ok(ProposalsBench {
        proposals: count,
        outcomes: count * 10,
        import_seconds,
        queries,
    })
}

/// What `review` measured.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewBench {
    pub proposals: u64,
    pub votes: u64,
    pub audit_entries: u64,
    pub signatures: u64,
    pub fill_seconds: f64,
    /// Where the views were timed: the workspace file, or the server it was copied to.
    pub timed_on: String,
    /// Seconds `workspace copy` took to move the filled file to the server.
    pub copy_seconds: Option<f64>,
    pub queries: Vec<Latency>,
    pub verify_seconds: f64,
}

/// Years of a busy committee in a scratch workspace at `path`: `count` proposals through the
/// whole route (two sign-offs, `motions` motions each with nine signed votes, the final
/// sign-off), the last 40 left open, then the inbox and a proposal's review view timed at
/// the app API, and `audit verify` (chain and every signature) timed once.
///
/// With `server` (an empty database's URL), the file filled at `path` is copied there by
/// `workspace copy` and the views are timed on the server: filling a server vote by vote,
/// each its own serialized, signed write over the network, takes the better part of an hour
/// at the README's scale, while what is measured is reading the same rows.
pub fn review(
    path: &Path,
    server: Option<&Path>,
    count: u64,
    motions: usize,
) -> Result<ReviewBench, AppError> {
    use credence_domain::proposal::{ProposalContent, Workload};
    use credence_domain::review::{Membership, Seat};
    let (ws, by) = scratch(path)?;
    let unit = |code: &str, kind, parent_id| UnitInput {
        code: code.into(),
        name: code.into(),
        kind,
        parent_id,
    };
    let eng = ws
        .create_unit(by, &unit("ENG", UnitKind::College, None))?
        .id;
    let cs = ws
        .create_unit(by, &unit("CS", UnitKind::Department, Some(eng)))?
        .id;
    let other = ws
        .create_unit(by, &unit("HIST", UnitKind::Department, None))?
        .id;
    let person = |name: &str, unit_id, role| -> Result<i64, AppError> {
        let added = ws.create_person(
            by,
            &PersonInput {
                name: name.into(),
                email: format!("{}@bench.edu", name.to_lowercase().replace(' ', ".")),
                unit_id: Some(unit_id),
                roles: vec![role],
            },
        )?;
        let id = added.person.id;
        ws.enrol_with(
            id,
            Some(&added.enrolment.code),
            PASS,
            credence_vc::keys::KdfParams::MIN,
        )?;
        ws.open_key(id, PASS).map(|_| id)
    };
    let head = person("Unit Head", cs, Role::UnitApprover)?;
    let dean = person("Dean", eng, Role::UnitApprover)?;
    let final_approver = person("Final Approver", other, Role::FinalApprover)?;
    let chair = person("Chair", other, Role::CommitteeChair)?;
    let mut voters = vec![chair];
    for i in 1..=8 {
        voters.push(person(
            &format!("Member {i}"),
            other,
            Role::CommitteeMember,
        )?);
    }
    for (i, v) in voters.iter().enumerate() {
        ws.add_member(
            by,
            &Membership {
                person_id: *v,
                seat: if i == 0 { Seat::Chair } else { Seat::Voting },
                alternate_for: None,
                term_start: "2016-01-01".into(),
                term_end: "2036-12-31".into(),
            },
        )?;
    }
    let contents: Vec<ProposalContent> = (0..count as usize)
        .map(|i| ProposalContent {
            title: format!("Microcredential {i}"),
            description: format!("Proposal number {i} of the committee's decade."),
            unit_id: Some(cs),
            credit_status: Some("credit".into()),
            category: Some("academic".into()),
            level: Some("intermediate".into()),
            outcomes: (0..5).map(|k| format!("Outcome {k} of {i}.")).collect(),
            workload: Workload {
                credits: Some(9.0),
                ..Default::default()
            },
            review_cycle_years: Some(2),
            assessment_types: vec!["project".into()],
            ..Default::default()
        })
        .collect();
    let start = Instant::now();
    let ids = ws.import_proposals(by, &contents)?;
    let open_key = |id| ws.open_key(id, PASS);
    let cast = crate::review::Cast {
        head: open_key(head)?,
        dean: open_key(dean)?,
        final_approver: open_key(final_approver)?,
        chair: open_key(chair)?,
        voters: voters
            .iter()
            .map(|v| open_key(*v))
            .collect::<Result<_, _>>()?,
    };
    ws.simulate_reviews(by, &ids, &cast, motions, 40)?;
    let fill_seconds = start.elapsed().as_secs_f64();
    let (ws, copy_seconds) = match server {
        None => (ws, None),
        Some(url) => {
            let start = Instant::now();
            ws.copy_to(url)?;
            let copied = start.elapsed().as_secs_f64();
            drop(ws);
            (Workspace::open(url, OpenMode::MustExist)?, Some(copied))
        }
    };
    let runs = 200;
    let meetings = (count.saturating_sub(40) as i64 / 25).clamp(1, 10);
    let queries = vec![
        latency("inbox of a committee member", runs, |_| {
            ws.inbox(Some(voters[3])).map(|_| ())
        })?,
        latency("inbox of the coordinator", runs, |_| {
            ws.inbox(by).map(|_| ())
        })?,
        latency(
            "inbox of the unit head (40 sign-offs waiting)",
            runs,
            |_| ws.inbox(Some(head)).map(|_| ()),
        )?,
        latency("a decided proposal's review view", runs, |i| {
            ws.review(ids[i * 7 % (ids.len() - 40).max(1)]).map(|_| ())
        })?,
        latency(
            "a meeting's full view (25 items, their motions and votes)",
            runs,
            |i| ws.meeting(1 + (i as i64 % meetings)).map(|_| ()),
        )?,
    ];
    let start = Instant::now();
    let report = ws.verify_audit()?;
    let verify_seconds = start.elapsed().as_secs_f64();
    if !report.holds() {
        return Err(AppError::new(
            crate::ErrorKind::Internal,
            "the benchmark's own audit log does not verify",
        ));
    }
    Ok(ReviewBench {
        proposals: count,
        votes: (count.saturating_sub(40)) * motions as u64 * voters.len() as u64,
        audit_entries: report.checked,
        signatures: report.signatures,
        fill_seconds,
        timed_on: ws.location().to_string(),
        copy_seconds,
        queries,
        verify_seconds,
    })
}

/// What `credentials` measured (one thread).
#[derive(Debug, Clone, Serialize)]
pub struct CredentialBench {
    pub cryptosuite: String,
    pub credentials: u64,
    /// Size of one signed credential (with its 256-pixel badge image inside).
    pub credential_bytes: usize,
    pub signed_per_second: f64,
    pub verified_per_second: f64,
    /// Resident memory after 10% and after all of the signing, then of the verifying (KB;
    /// Linux only).
    pub sign_rss_kb: (Option<u64>, Option<u64>),
    pub verify_rss_kb: (Option<u64>, Option<u64>),
    /// A roster of `roster` learners issued through the real use case (validation, status
    /// allocation, signing, storage, audit), in seconds.
    pub roster: usize,
    pub roster_seconds: f64,
}

fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Signs `count` credentials of the demo microcredential (each with its own id, learner and
/// salt), then verifies `count` (cycling through 1,000 distinct ones) as `credence verify`
/// does: parse, shape, Open Badges schema, proof, validity. Then issues a roster of 1,000
/// through the real use case. Streams, so memory stays flat.
pub fn credentials(
    path: &Path,
    count: u64,
    suite: credence_vc::proof::Cryptosuite,
) -> Result<CredentialBench, AppError> {
    use credence_vc::credential::{self, Credential};
    use credence_vc::proof::{self, ProofOptions};
    let ws = Workspace::open(path, OpenMode::CreateIfMissing)?;
    ws.seed_demo()?;
    let coordinator = Some(ws.person_by_email("dana.whitfield@northfield.edu")?.id);
    let slug = ws
        .microcredentials()?
        .first()
        .map(|m| m.slug.clone())
        .ok_or_else(|| AppError::not_found("the demo has no active microcredential"))?;
    let mut settings = ws.issuing_settings()?;
    settings.cryptosuite = suite.name().into();
    ws.set_issuing_settings(coordinator, &settings)?;
    ws.unlock_issuer("demo")?;
    let sample = ws.issue(
        coordinator,
        &slug,
        &[credence_domain::award::LearnerInput {
            name: "Sample Learner".into(),
            email: "sample@example.org".into(),
            ..Default::default()
        }],
    )?;
    let files = ws.award_files(&sample.rows[0].award.id)?;
    let mut unsigned: serde_json::Value = serde_json::from_str(&files.json)
        .map_err(|e| AppError::new(crate::ErrorKind::Internal, e.to_string()))?;
    if let Some(o) = unsigned.as_object_mut() {
        o.remove("proof");
    }
    let template = Credential::from_exact(&unsigned).ok_or_else(|| {
        AppError::new(
            crate::ErrorKind::Internal,
            "the issued credential is not of Credence's shape",
        )
    })?;
    let key = credence_vc::keys::generate()
        .map_err(|e| AppError::new(crate::ErrorKind::Internal, e.to_string()))?;
    let options = ProofOptions {
        cryptosuite: suite,
        created: template.valid_from.clone(),
        verification_method: credence_vc::did_key::verification_method(&key.verifying_key()),
        proof_purpose: "assertionMethod".into(),
    };
    let internal =
        |e: credence_vc::VcError| AppError::new(crate::ErrorKind::Internal, e.to_string());
    let tenth = (count / 10).max(1);
    let mut pool: Vec<Vec<u8>> = Vec::with_capacity(1000);
    let mut credential_bytes = 0;
    let mut sign_rss = (None, None);
    let start = Instant::now();
    for i in 0..count {
        let mut c = template.clone();
        c.id = format!("urn:uuid:00000000-0000-4000-8000-{i:012}");
        c.issuer.id = credence_vc::did_key::did(&key.verifying_key());
        let subject = &mut c.credential_subject;
        subject.identifier[0].salt = Some(format!("{i:032x}"));
        subject.identifier[0].identity_hash =
            credential::identity_hash(&format!("learner{i}@example.org"), &format!("{i:032x}"));
        subject.identifier[1].identity_hash = format!("Learner {i}");
        let signed = proof::sign_credential(&c, &key, &options).map_err(internal)?;
        let bytes = serde_json::to_vec(&signed)
            .map_err(|e| AppError::new(crate::ErrorKind::Internal, e.to_string()))?;
        credential_bytes = bytes.len();
        if pool.len() < 1000 {
            pool.push(bytes);
        }
        if i + 1 == tenth {
            sign_rss.0 = rss_kb();
        }
    }
    let signed_per_second = count as f64 / start.elapsed().as_secs_f64();
    sign_rss.1 = rss_kb();

    let mut verify_rss = (None, None);
    let now = chrono::Utc::now();
    let no_lists = |_: &str| None;
    let start = Instant::now();
    for i in 0..count {
        let bytes = &pool[(i as usize) % pool.len()];
        let report = credence_vc::verify::verify(bytes, now, &no_lists);
        if !report.verified() {
            return Err(AppError::new(
                crate::ErrorKind::Internal,
                format!("a benchmark credential did not verify: {report:?}"),
            ));
        }
        if i + 1 == tenth {
            verify_rss.0 = rss_kb();
        }
    }
    let verified_per_second = count as f64 / start.elapsed().as_secs_f64();
    verify_rss.1 = rss_kb();

    let roster = 1000;
    let learners: Vec<credence_domain::award::LearnerInput> = (0..roster)
        .map(|i| credence_domain::award::LearnerInput {
            name: format!("Roster Learner {i}"),
            email: format!("roster{i}@example.org"),
            ..Default::default()
        })
        .collect();
    let start = Instant::now();
    ws.issue(coordinator, &slug, &learners)?;
    let roster_seconds = start.elapsed().as_secs_f64();
    ws.lock_issuer();
    Ok(CredentialBench {
        cryptosuite: suite.name().into(),
        credentials: count,
        credential_bytes,
        signed_per_second,
        verified_per_second,
        sign_rss_kb: sign_rss,
        verify_rss_kb: verify_rss,
        roster,
        roster_seconds,
    })
}

/// Learners' names in the scripts the certificate fonts print: half Latin, Greek and
/// Cyrillic (DejaVu), half shaped or right to left or Han (Noto).
const LEARNER_NAMES: [&str; 12] = [
    "Zoë Ångström-Núñez",
    "Αλέξανδρος Παπαδόπουλος",
    "Анастасия Кузнецова",
    "Nguyễn Thị Phương Thảo",
    "Ana Lima",
    "Adébáyọ̀ Ọláòṣebìkan",
    "王小明",
    "김민준",
    "محمد عبد الله",
    "דוד כהן",
    "प्रिया शर्मा",
    "สมชาย ใจดี",
];

/// What `certificates` measured (one thread).
#[derive(Debug, Clone, Serialize)]
pub struct CertificateBench {
    pub certificates: u64,
    pub per_second: f64,
    pub mean_bytes: u64,
    pub max_bytes: u64,
    /// Resident memory after 10% and after all of the rendering (KB; Linux only).
    pub rss_kb: (Option<u64>, Option<u64>),
}

/// Renders `count` PDF certificates of the demo microcredential through the issuing path
/// (the sheet prepared once per microcredential version, as `award_certificates` does;
/// each certificate with its own learner, QR code and attached credential), under the
/// demo's template: two signatures, the institution logo and the badge.
pub fn certificates(path: &Path, count: u64) -> Result<CertificateBench, AppError> {
    let ws = Workspace::open(path, OpenMode::CreateIfMissing)?;
    // The demo's template has two signatures; the demo institution has a logo.
    ws.seed_demo()?;
    let award = ws
        .awards("", 1)?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::not_found("the demo has no award"))?;
    let (sheet, json) = ws.certificate_sheet_for(&award.id)?;
    let names = LEARNER_NAMES;
    let tenth = (count / 10).max(1);
    let (mut total, mut max) = (0u64, 0u64);
    let mut rss = (None, None);
    let start = Instant::now();
    for i in 0..count {
        let name = format!("{} {i}", names[i as usize % names.len()]);
        let pdf = sheet.pdf(
            &crate::certificates::Line {
                learner: &name,
                completed_on: "2026-11-20",
                credential: Some(&json),
                issued_at: 1_795_000_000 + i as i64,
            },
            None,
        )?;
        total += pdf.len() as u64;
        max = max.max(pdf.len() as u64);
        if i + 1 == tenth {
            rss.0 = rss_kb();
        }
    }
    let per_second = count as f64 / start.elapsed().as_secs_f64();
    rss.1 = rss_kb();
    Ok(CertificateBench {
        certificates: count,
        per_second,
        mean_bytes: total / count.max(1),
        max_bytes: max,
        rss_kb: rss,
    })
}

/// A scratch workspace for `credence bench issue`: the demo (its active microcredential, its
/// certificate template, the issuer key whose passphrase is `demo`) and the coordinator who
/// issues.
#[derive(Debug, Clone)]
pub struct IssueScratch {
    pub microcredential: String,
    pub coordinator_email: String,
}

pub fn issue_scratch(path: &Path) -> Result<IssueScratch, AppError> {
    let ws = Workspace::open(path, OpenMode::CreateIfMissing)?;
    ws.seed_demo()?;
    let microcredential = ws
        .microcredentials()?
        .first()
        .map(|m| m.slug.clone())
        .ok_or_else(|| AppError::not_found("the demo has no active microcredential"))?;
    Ok(IssueScratch {
        microcredential,
        coordinator_email: "dana.whitfield@northfield.edu".into(),
    })
}

/// A roster of `learners` rows as a coordinator would bring (names in the scripts the
/// certificate fonts print, a completion date, a grade); `batch` keeps emails of different
/// rosters apart.
pub fn bench_roster(learners: u64, batch: &str) -> String {
    let names = LEARNER_NAMES;
    let mut out = String::from("name,email,completed_on,grade\n");
    for i in 0..learners {
        let name = names[i as usize % names.len()];
        out.push_str(&format!(
            "{name} {i},learner{i}.{batch}@example.org,2026-11-20,A\n"
        ));
    }
    out
}

/// What one seat did in `credence bench seats`: its changes applied, the ones refused (with
/// the refusal each got), how long each took, and when it started and ended (milliseconds
/// since the Unix epoch, to measure every seat's work as one).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct SeatRun {
    pub seat: u32,
    pub applied: u64,
    pub refused: Vec<String>,
    pub latencies_ms: Vec<f64>,
    pub started_ms: u128,
    pub ended_ms: u128,
}

/// Every shared code a seat tries to take: one change in ten is one of these, which every
/// seat attempts at once, so exactly one seat's is applied and the others' refused.
pub const SHARED_EVERY: u64 = 10;

/// Makes the scratch workspace the seats share (`path`: a new file, or an empty database on a
/// server): an institution and its coordinator, whose passphrase every seat uses.
pub fn seats_setup(path: &Path) -> Result<(), AppError> {
    scratch(path).map(|_| ())
}

fn epoch_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default()
}

/// One seat (one process, as one desk would be): `changes` audited, signed changes made as
/// the coordinator, each a new unit of the seat's own, except one in [`SHARED_EVERY`] that
/// every seat attempts with the same code.
pub fn seat(path: &Path, seat: u32, changes: u64) -> Result<SeatRun, AppError> {
    let ws = Workspace::open(path, OpenMode::MustExist)?;
    ws.set_unlocker(Some(Box::new(|_| {
        Ok(crate::kernel::secret::Passphrase::new(PASS.into()))
    })));
    let by = Some(ws.person_by_email("bench@bench.edu")?.id);
    let mut run = SeatRun {
        seat,
        applied: 0,
        refused: Vec::new(),
        latencies_ms: Vec::with_capacity(changes as usize),
        started_ms: epoch_ms(),
        ended_ms: 0,
    };
    for i in 0..changes {
        let code = if i % SHARED_EVERY == 0 {
            format!("SHARED-{i}")
        } else {
            format!("S{seat}-{i}")
        };
        let start = Instant::now();
        let made = ws.create_unit(
            by,
            &UnitInput {
                code: code.clone(),
                name: format!("Unit {code} of seat {seat}"),
                kind: UnitKind::Department,
                parent_id: None,
            },
        );
        run.latencies_ms
            .push(start.elapsed().as_secs_f64() * 1000.0);
        match made {
            Ok(_) => run.applied += 1,
            Err(e) if e.kind == crate::ErrorKind::Invalid => run.refused.push(format!(
                "{code}: {}",
                e.fields
                    .first()
                    .map_or(e.message.clone(), |f| f.message.clone())
            )),
            Err(e) => return Err(e),
        }
    }
    run.ended_ms = epoch_ms();
    Ok(run)
}

/// What `credence bench seats` measured: every seat's changes at once on one workspace.
#[derive(Debug, Clone, Serialize)]
pub struct SeatsBench {
    pub seats: u32,
    pub changes_per_seat: u64,
    pub applied: u64,
    pub refused: u64,
    /// From the first seat's start to the last seat's end.
    pub seconds: f64,
    pub changes_per_second: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    /// Units in the workspace afterwards, and what the audit log holds.
    pub units: u64,
    pub audit_entries: u64,
    pub audit_holds: bool,
    /// One refusal, as a seat got it.
    pub a_refusal: Option<String>,
}

/// Sums the seats' runs and checks the workspace they changed: its units and its audit
/// chain.
pub fn seats_report(path: &Path, runs: &[SeatRun]) -> Result<SeatsBench, AppError> {
    let ws = Workspace::open(path, OpenMode::MustExist)?;
    let report = ws.verify_audit()?;
    let mut ms: Vec<f64> = runs
        .iter()
        .flat_map(|r| r.latencies_ms.iter().copied())
        .collect();
    ms.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| {
        ms.get(((ms.len().max(1) as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    let start = runs.iter().map(|r| r.started_ms).min().unwrap_or_default();
    let end = runs.iter().map(|r| r.ended_ms).max().unwrap_or_default();
    let seconds = end.saturating_sub(start) as f64 / 1000.0;
    let applied: u64 = runs.iter().map(|r| r.applied).sum();
    Ok(SeatsBench {
        seats: runs.len() as u32,
        changes_per_seat: runs.first().map_or(0, |r| r.latencies_ms.len() as u64),
        applied,
        refused: runs.iter().map(|r| r.refused.len() as u64).sum(),
        seconds,
        changes_per_second: applied as f64 / seconds.max(0.001),
        p50_ms: at(0.5),
        p95_ms: at(0.95),
        units: ws.units()?.len() as u64,
        audit_entries: report.checked,
        audit_holds: report.holds(),
        a_refusal: runs.iter().find_map(|r| r.refused.first().cloned()),
    })
}
