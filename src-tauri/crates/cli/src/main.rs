//! `credence`: headless jobs on a workspace. Exit codes: 0 success, 1 a user error (a one-line
//! message on stderr), 2 an internal error.

/// `println!` that ends the program quietly when stdout is closed (`credence ... | head`),
/// instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod cases;
mod events;
mod issuing;
mod output;
mod prior_learning;
mod review;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use credence_app::domain::institution::InstitutionInput;
use credence_app::domain::person::{PersonInput, Role};
use credence_app::domain::unit::{UnitInput, UnitKind};
use credence_app::domain::Id;
use credence_app::master::location;
use credence_app::{AppError, AuditQuery, ErrorKind, OpenMode, Workspace};

#[derive(Parser)]
#[command(
    name = "credence",
    version,
    about = "Microcredential review, approval and awarding."
)]
struct Cli {
    /// The workspace: a file, or a shared workspace's postgres://USER@HOST/DATABASE URL (its
    /// password from the URL or CREDENCE_WORKSPACE_PASSWORD) (default: $CREDENCE_WORKSPACE,
    /// then the one the window opened last, then the default in the application-data folder).
    #[arg(long, global = true, value_name = "PATH|URL")]
    workspace: Option<PathBuf>,
    /// Act as the person with this email (default: the workspace's acting person).
    #[arg(
        long = "as",
        global = true,
        value_name = "EMAIL",
        env = "CREDENCE_ACTOR"
    )]
    actor: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a workspace and its institution profile.
    Init {
        #[arg(long)]
        institution: String,
        /// ISO 3166 two-letter code.
        #[arg(long)]
        country: String,
        #[arg(long)]
        url: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
    /// The institution profile (the badge issuer).
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Colleges, departments and offices.
    Unit {
        #[command(subcommand)]
        command: UnitCommand,
    },
    /// People and their roles.
    Person {
        #[command(subcommand)]
        command: PersonCommand,
    },
    /// Microcredential proposals.
    Proposal {
        #[command(subcommand)]
        command: ProposalCommand,
    },
    /// Institution-wide settings: shows them, or changes those given (coordinators).
    Settings {
        /// The largest file a proposal may attach, in megabytes (whole or decimal).
        #[arg(long, value_name = "MB")]
        attachment_limit_mb: Option<f64>,
        /// Where credentials' status lists and achievements are hosted
        /// (https://credentials.example.edu); "" to clear.
        #[arg(long, value_name = "URL")]
        credential_base_url: Option<String>,
        /// The cryptosuite of new credentials: eddsa-rdfc-2022 or eddsa-jcs-2022.
        #[arg(long, value_name = "SUITE")]
        cryptosuite: Option<String>,
        /// Whether credentials carry the EU Council Recommendation's elements.
        #[arg(long, value_name = "BOOL")]
        eu_recommendation: Option<bool>,
        /// A web page that verifies a credential given ?credential=<id>; certificates' QR
        /// codes point there (otherwise they carry the credential id and issuer DID); "" to
        /// clear.
        #[arg(long, value_name = "URL")]
        verify_url: Option<String>,
        /// The institution's LinkedIn organization id (digits), named by learners' "Add to
        /// profile" links; "" to clear.
        #[arg(long, value_name = "ID")]
        linkedin_organization_id: Option<String>,
        /// How many days ahead "Things to do" shows the awards about to expire (1 to 365).
        #[arg(long, value_name = "DAYS")]
        expiry_notice_days: Option<u32>,
        /// Minutes without activity after which a signed-in window locks (1 to 480).
        #[arg(long, value_name = "MINUTES")]
        idle_lock_minutes: Option<u32>,
    },
    /// Your signing key, for votes, sign-offs and decisions.
    Key {
        #[command(subcommand)]
        command: review::KeyCommand,
    },
    /// The review committee: members, seats, terms and voting rules.
    Committee {
        #[command(subcommand)]
        command: review::CommitteeCommand,
    },
    /// A proposal's review route: where it is, sign-offs, conflicts, the routes.
    Review {
        #[command(subcommand)]
        command: review::ReviewCommand,
    },
    /// Committee meetings: agenda, attendance, motions, votes, minutes.
    Meeting {
        #[command(subcommand)]
        command: review::MeetingCommand,
    },
    /// Conditions of approvals.
    Condition {
        #[command(subcommand)]
        command: review::ConditionCommand,
    },
    /// The badge taxonomy (facets and their terms, skills).
    Taxonomy {
        #[command(subcommand)]
        command: TaxonomyCommand,
    },
    /// Skills frameworks.
    Skills {
        #[command(subcommand)]
        command: SkillsCommand,
    },
    /// The tamper-evident audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Microcredentials after approval: their status, versions and next review.
    Microcredential {
        #[command(subcommand)]
        command: MicrocredentialCommand,
    },
    /// The academic calendar: the terms a change's effective term is chosen from.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Things to do for you (`--as`, else who acted last): sign-offs, votes, reviews,
    /// conditions, periodic reviews due and, for coordinators, the checks and overdue steps;
    /// as the window's "Things to do" lists them
    Todo(JsonFlag),
    /// Periodic reviews of microcredentials: when each is due, and recording one.
    ReviewCycle {
        #[command(subcommand)]
        command: ReviewCycleCommand,
    },
    /// Pause issuing a microcredential (coordinators), saying why; every refused award
    /// gives the reason.
    Suspend {
        /// The microcredential's slug (see `microcredential list`).
        slug: String,
        #[arg(long)]
        reason: String,
    },
    /// Issue a suspended microcredential again (coordinators).
    Resume { slug: String },
    /// Change requests against an active microcredential: started from its newest version,
    /// triaged minor or major by rule, then submitted, accepted and reviewed like any case
    /// (`proposal submit|accept`, the `review` commands) on the route its level picks.
    Change {
        #[command(subcommand)]
        command: cases::ChangeCommand,
    },
    /// Request a microcredential's termination (its unit's proposers and coordinators),
    /// with the impact Credence computes; decided on its route, it enters teach-out (awards
    /// allowed until the date given) and is retired the day after.
    Terminate {
        slug: String,
        #[arg(long)]
        reason: String,
        /// The last day awards are allowed (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        teach_out_until: String,
        /// The last day new learners may enrol (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        last_intake: Option<String>,
    },
    /// End a teach-out early (coordinators), when every enrolled learner has finished: the
    /// microcredential is retired from today.
    Retire { slug: String },
    /// The committee's report: cases by kind, status and unit; time in each step and to a
    /// decision; awards per month; revocations and their reasons; periodic reviews due.
    Report {
        /// Write one CSV file per section into this folder.
        #[arg(long, value_name = "DIR")]
        csv: Option<PathBuf>,
        /// Write it as a PDF.
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The public catalog: a static website of the active microcredentials (and those in
    /// teach-out, marked so), with search and filters, a page each, the pathways, and every
    /// version's Open Badges 3.0 achievement at the URL its credentials name. Publish the
    /// folder at the issuing base URL.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// Active microcredentials and issued awards.
    Credential {
        #[command(subcommand)]
        command: issuing::CredentialCommand,
    },
    /// Issue signed Open Badges 3.0 credentials to every learner of a roster, CSV or XLSX
    /// (header row; name, email required; learner_did, completed_on, grade, evidence_url,
    /// evidence_note optional; a Credly, Canvas Credentials or Accredible bulk file is
    /// recognized by its headers, and --map names any other column). All rows or none; a
    /// learner already awarded for the same date is not issued again. The issuer key's passphrase comes from CREDENCE_ISSUER_PASSPHRASE, yours from
    /// CREDENCE_PASSPHRASE; each is asked for when not set.
    Issue {
        /// The microcredential's slug (see `credential list`).
        #[arg(long, value_name = "SLUG")]
        credential: String,
        #[arg(long, value_name = "FILE.csv|FILE.xlsx")]
        roster: PathBuf,
        /// Names a column to a roster field: COLUMN=FIELD, FIELD one of name, first_name,
        /// last_name, email, learner_did, completed_on, grade, evidence_url, evidence_note,
        /// ignore (repeat for each column).
        #[arg(long = "map", value_name = "COLUMN=FIELD")]
        map: Vec<String>,
        /// Writes DIR/<award-id>/credential.json, badge.png, badge.svg (the formats asked) and
        /// DIR/manifest.csv; with `--formats bundle` (or html) each learner's index.html and
        /// bundle.zip, and DIR/mail-merge.csv for the institution's mailer.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// json, png, svg, pdf, html, zip, or bundle for all of them.
        #[arg(long, default_value = "json,png,svg")]
        formats: String,
    },
    /// Revoke credentials (by credential or award id, or a learner's email), with a reason;
    /// export the status lists afterwards to publish the change.
    Revoke {
        #[arg(required_unless_present = "from", value_name = "CREDENTIAL_ID")]
        ids: Vec<String>,
        /// A CSV naming them instead: its award, id, credential or email column, or one per
        /// line. All or none are revoked.
        #[arg(long, value_name = "FILE", conflicts_with = "ids")]
        from: Option<PathBuf>,
        #[arg(long)]
        reason: String,
    },
    /// Correct an issued award (a misspelled name, a wrong email or date): a new credential
    /// is issued for the corrected learner and the old one revoked as superseded. Fields not
    /// given keep their value. Needs the issuer passphrase.
    Correct {
        /// The award or credential id, or the email of a learner who holds one award.
        #[arg(value_name = "AWARD")]
        award: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// YYYY-MM-DD.
        #[arg(long)]
        completed_on: Option<String>,
        #[arg(long)]
        reason: String,
    },
    /// Renew an award that expires: a new credential for the same learner under the
    /// microcredential's version in effect, valid for that version's period from the day the
    /// learner qualified again, and linked to the award it renews (which stays valid until its
    /// own expiry). Needs the issuer passphrase. `credential export` writes its files.
    Renew {
        /// The award or credential id, or the email of a learner who holds one award.
        #[arg(value_name = "AWARD")]
        award: String,
        /// The day the learner qualified again, YYYY-MM-DD (default: today).
        #[arg(long)]
        completed_on: Option<String>,
    },
    /// Reinstate revoked credentials, with a reason.
    Reinstate {
        #[arg(required = true, value_name = "CREDENTIAL_ID")]
        ids: Vec<String>,
        #[arg(long)]
        reason: String,
    },
    /// Bitstring status lists, to host at the credential base URL.
    StatusList {
        #[command(subcommand)]
        command: issuing::StatusListCommand,
    },
    /// Create a workspace filled with realistic demo data (every demo person's passphrase
    /// is `northfield demo`).
    Demo,
    /// Set your passphrase with the enrolment code a coordinator gave you: it seals your new
    /// signing key (the passphrase from CREDENCE_PASSPHRASE, or asked for).
    Enrol {
        /// Your email.
        email: String,
        #[arg(long)]
        code: String,
    },
    /// Verify credentials (.json, or baked .png and .svg) offline: one line per file; exit 0
    /// only if every file verifies. A folder stands for every such file in it, at any depth
    /// (an `issue --out` folder, for instance).
    Verify {
        /// Folder of status list credentials, to check revocation.
        #[arg(long, value_name = "DIR")]
        status_dir: Option<PathBuf>,
        /// Print every check of every file.
        #[arg(long, short)]
        verbose: bool,
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Import Open Badges 2.0 assertions from a previous platform (files or folders of JSON,
    /// JWS, baked PNG or SVG, with the issuer's key and badge classes where given): each
    /// re-issued as an Open Badges 3.0 credential signed by the institution, naming the
    /// original; a report of what was imported and skipped, and why. Coordinators; needs the
    /// issuer passphrase.
    ImportOb2 {
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
        /// The learners the assertions were awarded to (`name,email`): their hashed emails are
        /// matched to these.
        #[arg(long, value_name = "FILE.csv")]
        learners: PathBuf,
        /// Ties a badge (its id or name) to a microcredential where the names differ:
        /// BADGE=SLUG (repeat for each).
        #[arg(long, value_name = "BADGE=SLUG")]
        map: Vec<String>,
        /// Import a badge that names no microcredential (and is not mapped) as a retired
        /// microcredential of its own, made from its badge class: its name, description and
        /// criteria. A later import of the same badge finds it again.
        #[arg(long)]
        archive_unmatched: bool,
        #[arg(long)]
        json: bool,
    },
    /// Recognition of prior learning: claims with evidence, assessed outcome by outcome and
    /// signed by an assessor, awarded as credentials that say how they were earned.
    PriorLearning {
        #[command(subcommand)]
        command: prior_learning::PriorLearningCommand,
    },
    /// Shared workspaces on a PostgreSQL server: make one in an empty database, and move a
    /// whole workspace between a file and a server (each way)
    Workspace {
        #[command(subcommand)]
        command: WorkspaceCommand,
    },
    /// Issuance events away from this workspace, offline: export a package, open it as an
    /// event workspace, finish it, merge its return.
    Event {
        #[command(subcommand)]
        command: events::EventCommand,
    },
    /// Serve the W3C VC-API over HTTPS on a loopback address, for the W3C interoperability
    /// test suites: GET / describes it; POST /credentials/issue signs a VC 2.0 credential whose
    /// issuer is the institution (eddsa-rdfc-2022, each one audited; coordinators); POST
    /// /credentials/verify checks a credential, POST /presentations/verify a presentation and
    /// the credentials in it. Every request needs `Authorization: Bearer TOKEN`, the token from
    /// CREDENCE_VC_API_TOKEN (16 characters or more). The certificate is self-signed, made at
    /// start. Runs until stopped (Ctrl-C).
    Serve {
        /// 127.0.0.1:PORT (or [::1]:PORT); port 0 picks a free one, printed on start.
        #[arg(long, value_name = "ADDR")]
        vc_api: std::net::SocketAddr,
        /// Write the server's certificate (PEM) here, for clients that check it
        /// (`curl --cacert FILE`, `NODE_EXTRA_CA_CERTS=FILE`).
        #[arg(long, value_name = "FILE")]
        tls_certificate: Option<PathBuf>,
    },
    /// Measure Credence on a scratch workspace (never the one you work in).
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// Write the website into a folder (created if missing; an earlier export is replaced).
    Export {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Credentials signed and verified per second on one thread, with memory, and a roster
    /// of 1,000 issued through the real use case.
    Credentials {
        #[arg(long, default_value_t = 100_000)]
        count: u64,
        /// eddsa-rdfc-2022 or eddsa-jcs-2022.
        #[arg(long, default_value = "eddsa-rdfc-2022")]
        cryptosuite: String,
    },
    /// The whole `credence issue` command, each run its own process as a user runs it (roster
    /// parsing, validation, signing, storing, audit, every requested file written): for json
    /// and for all formats, each issued new and then again (nothing new, files rewritten).
    Issue {
        #[arg(long, default_value_t = 2_000)]
        learners: u64,
    },
    /// PDF certificates rendered per second on one thread (the issuing path: template,
    /// logo, badge, signatures, QR code, the credential attached), sizes and memory.
    Certificates {
        #[arg(long, default_value_t = 10_000)]
        count: u64,
    },
    /// Audited changes per second, and audit entries verified per second.
    Audit {
        /// How many changes to make.
        #[arg(long, default_value_t = 20_000)]
        changes: u64,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Proposals list, filters and search at the app API, on a scratch workspace.
    Proposals {
        #[arg(long, default_value_t = 10_000)]
        proposals: u64,
        #[command(flatten)]
        server: ServerFlag,
    },
    /// Years of a busy committee (proposals through the whole route with signed votes):
    /// the inbox and review views at the app API, and audit verification with signatures.
    Review {
        #[arg(long, default_value_t = 5_000)]
        proposals: u64,
        /// Motions per proposal (each with nine signed votes); 2 gives about 90,000 votes.
        #[arg(long, default_value_t = 2)]
        motions: usize,
        #[command(flatten)]
        server: ServerFlag,
    },
    /// Several seats changing one workspace at once: each seat a process making audited,
    /// signed changes (one in ten a code every seat tries to take, which only one may);
    /// throughput, p50 and p95 of a change, and the workspace checked afterwards
    Seats {
        #[arg(long, default_value_t = 8)]
        seats: u32,
        /// Changes each seat makes.
        #[arg(long, default_value_t = 500)]
        changes: u64,
        #[command(flatten)]
        server: ServerFlag,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// One seat of `bench seats` (run by it, one process per seat).
    #[command(hide = true)]
    Seat {
        #[arg(long)]
        seat: u32,
        #[arg(long)]
        changes: u64,
    },
    /// Time to evaluate every shipped policy rule on one proposal.
    Policy {
        #[arg(long, default_value_t = 100_000)]
        evaluations: u64,
    },
}

#[derive(Args)]
struct ServerFlag {
    /// Run on an empty database on a PostgreSQL server (postgres://USER@HOST/DATABASE), made
    /// a scratch workspace, instead of a scratch file.
    #[arg(long, value_name = "URL")]
    server: Option<String>,
}

impl ServerFlag {
    /// The scratch workspace: the server's database, or a new file in a temporary folder
    /// (removed by the caller with the folder).
    fn scratch(&self) -> (PathBuf, PathBuf) {
        let dir = std::env::temp_dir().join(format!("credence-bench-{}", std::process::id()));
        match &self.server {
            Some(url) => (PathBuf::from(url), dir),
            None => (dir.join("bench.credence"), dir),
        }
    }
}

#[derive(Args)]
struct JsonFlag {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum OrgCommand {
    Show(JsonFlag),
    /// Change the fields given; the others stay as they are.
    Set {
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        country: Option<String>,
        /// An empty value removes the URL.
        #[arg(long)]
        url: Option<String>,
        /// An empty value removes the email.
        #[arg(long)]
        email: Option<String>,
        /// A PNG or JPEG file, at most 1 MB.
        #[arg(long, value_name = "FILE", conflicts_with = "remove_logo")]
        logo: Option<PathBuf>,
        #[arg(long)]
        remove_logo: bool,
    },
}

#[derive(Subcommand)]
enum UnitCommand {
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// college, school, department, co_curricular_office or administrative_office.
        #[arg(long)]
        kind: String,
        /// The parent unit's code.
        #[arg(long, value_name = "CODE")]
        parent: Option<String>,
    },
    List(JsonFlag),
}

#[derive(Subcommand)]
enum MicrocredentialCommand {
    /// Every microcredential: slug, title, status (active, suspended, teach_out, retired)
    /// and the version in effect.
    List(JsonFlag),
    /// One microcredential: its status, every version (number, effective_from, and the case
    /// whose decision approved it), awards per version, and when it is next due for review.
    Show {
        slug: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// The terms, in date order.
    List(JsonFlag),
    /// Add a term (coordinators).
    Add {
        /// Short and unique: FA27, 2027-S1.
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// The first day (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        from: String,
        /// The last day (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        to: String,
    },
    /// Remove a term (coordinators).
    Remove { code: String },
}

#[derive(Subcommand)]
enum ReviewCycleCommand {
    /// Each microcredential's next periodic review, soonest first.
    List {
        /// Only those whose review date has come.
        #[arg(long)]
        due: bool,
        #[arg(long)]
        json: bool,
    },
    /// Record a periodic review that renewed a microcredential (coordinators): the next
    /// falls one review cycle from today; the figures it looked at are kept with the note.
    Renew {
        slug: String,
        #[arg(long)]
        note: String,
    },
    /// Record a periodic review and its outcome (coordinators): renewed; change-required
    /// (opens a change request, its rationale the note, due by --due); or sunset (opens a
    /// termination request, its reason the note, with --teach-out-until).
    Record {
        slug: String,
        #[arg(long)]
        outcome: String,
        #[arg(long)]
        note: String,
        /// With sunset: the last day awards are allowed (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        teach_out_until: Option<String>,
        /// With sunset: the last day new learners may enrol (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        last_intake: Option<String>,
        /// With change-required: the day the change must be decided by (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        due: Option<String>,
    },
}

#[derive(Subcommand)]
enum PersonCommand {
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// The code of the person's unit.
        #[arg(long, value_name = "CODE")]
        unit: Option<String>,
        /// coordinator, proposer, unit_approver, committee_member, committee_chair or
        /// final_approver; repeat or separate with commas.
        #[arg(long = "role", value_delimiter = ',', required = true)]
        roles: Vec<String>,
    },
    List(JsonFlag),
    /// A new enrolment code for a person who lost theirs (coordinators); an earlier unused
    /// code stops working.
    Enrolment {
        /// The person's email.
        email: String,
    },
}

#[derive(Subcommand)]
enum ProposalCommand {
    /// Cases (new microcredentials' proposals, change and termination requests), newest
    /// first.
    List {
        /// new, change or termination.
        #[arg(long)]
        kind: Option<String>,
        /// draft, submitted, complete (under review), approved, active, rejected or withdrawn.
        #[arg(long)]
        status: Option<String>,
        /// Words in titles, descriptions or outcomes.
        #[arg(long)]
        search: Option<String>,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// One proposal's content, status and policy findings.
    Show {
        id: i64,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// What changed between two versions, field by field (list items added, removed or
    /// reworded), and whether the change is minor, major or a new microcredential. Without
    /// --from/--to: a draft being revised against its last version, else the last version
    /// against the one before.
    Diff {
        id: i64,
        #[arg(long, value_name = "VERSION")]
        from: Option<i64>,
        #[arg(long, value_name = "VERSION")]
        to: Option<i64>,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Every proposal's content as JSON or CSV (what `import` reads).
    Export {
        /// json or csv.
        #[arg(long, default_value = "json")]
        format: String,
    },
    /// Create proposals from a JSON file that `export` wrote, or a CSV with one proposal per
    /// row (by the .csv extension): all of them, or none.
    Import { file: PathBuf },
    /// Replace fields of a draft from a JSON object (each field as `proposal show --json`
    /// prints it under `content`; fields not named are kept).
    Edit {
        id: i64,
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
    /// Submit a draft; refused, listing each blocking policy finding, while any stands.
    Submit { id: i64 },
    /// Accept a submitted proposal as complete (coordinator).
    Accept { id: i64 },
    /// Return a submitted proposal to its proposer (coordinator).
    Return {
        id: i64,
        /// What the proposer must complete.
        #[arg(long)]
        comment: String,
    },
    /// Withdraw a proposal.
    Withdraw { id: i64 },
    /// Write the badge image the proposal would carry (.svg, or .png at 512 pixels).
    Badge {
        id: i64,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write the committee's decision letter to the proposer as PDF.
    Letter {
        id: i64,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Use your own PNG or SVG as the proposal's badge (SVG is sanitized), or --clear to go
    /// back to the image drawn from the taxonomy.
    SetBadge {
        id: i64,
        #[arg(required_unless_present = "clear")]
        file: Option<PathBuf>,
        #[arg(long, conflicts_with = "file")]
        clear: bool,
    },
    /// Attach files to a draft (PDF, office documents, images, text): all of them or none.
    Attach {
        id: i64,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// A proposal's attachments, with type, size and SHA-256.
    Attachments {
        id: i64,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Remove an attachment from a draft (earlier versions keep it).
    Detach {
        id: i64,
        /// The attachment's SHA-256 (or its first 8 or more characters).
        sha256: String,
    },
    /// Save a copy of an attachment.
    Save {
        id: i64,
        /// The attachment's SHA-256 (or its first 8 or more characters).
        sha256: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum TaxonomyCommand {
    /// The whole taxonomy as JSON (what `import` reads), to stdout or a file.
    Export {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Add or update the terms and skills of a JSON file that `export` wrote.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
enum SkillsCommand {
    /// Import a framework from CSV with the columns code, name and optionally description, url.
    Import {
        file: PathBuf,
        /// The framework's name (ESCO, O*NET, Lightcast, or your own).
        #[arg(long)]
        framework: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the whole hash chain and every signed statement; name the first entry that
    /// does not hold, and print the head (the newest entry and its hash).
    Verify {
        /// A receipt `audit receipt` wrote earlier: also prove the log still reaches the
        /// entry it saw, unchanged (deleting the newest entries leaves no other trace).
        #[arg(long, value_name = "FILE")]
        receipt: Option<PathBuf>,
    },
    /// Sign the head of the log with your key (CREDENCE_PASSPHRASE, or asked for) and write
    /// the receipt, to keep outside the workspace.
    Receipt {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// The newest entries first.
    List {
        /// institution, unit or person.
        #[arg(long)]
        entity: Option<String>,
        #[arg(long)]
        id: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[command(flatten)]
        json: JsonFlag,
    },
}

/// mimalloc instead of glibc's allocator: a batch's threads allocate and free each award's
/// files (a third of a megabyte) and glibc's arenas spent a seventh of its CPU on it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 1 } else { 0 });
        }
    };
    match run(cli) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Failed) => ExitCode::from(1),
        Err(e) => {
            eprintln!("credence: {}", e.message);
            ExitCode::from(if e.is_user_error() { 1 } else { 2 })
        }
    }
}

/// A command can finish its work and still report a failure (a broken audit chain).
enum Outcome {
    Done,
    Failed,
}

#[derive(Subcommand)]
enum WorkspaceCommand {
    /// Make the empty database a postgres:// URL names a Credence workspace (its schema, no
    /// data yet); a database holding anything is refused without a change. Then `copy` a
    /// workspace into it, or `--workspace URL init` a new institution
    InitServer {
        /// postgres://USER@HOST[:PORT]/DATABASE (the password from the URL or
        /// CREDENCE_WORKSPACE_PASSWORD; `?sslrootcert=FILE` trusts a server's own authority)
        url: String,
    },
    /// Copy a whole workspace (audit chain, signatures, keys, files, awards) from a file to a
    /// server or back, in one transaction, into a new file or an empty database; then check
    /// the copy's audit chain
    Copy {
        /// The workspace to copy: a file, or a postgres:// URL
        #[arg(value_name = "FROM")]
        from: PathBuf,
        /// Where to: a new file, or a postgres:// URL of an empty database
        #[arg(value_name = "TO")]
        to: PathBuf,
    },
}

/// Opens the workspace; a change signs the acting person in with their passphrase
/// (CREDENCE_PASSPHRASE, or asked on a terminal).
fn open(cli: &Cli, mode: OpenMode) -> Result<Workspace, AppError> {
    let ws = Workspace::open(&location::resolve(cli.workspace.as_deref()), mode)?;
    ws.set_unlocker(Some(review::unlocker()));
    Ok(ws)
}

/// The acting person's id: `--as EMAIL`, else the person who acted last on this machine.
fn actor(cli: &Cli, ws: &Workspace) -> Result<Option<Id>, AppError> {
    match &cli.actor {
        Some(email) => Ok(Some(ws.person_by_email(email)?.id)),
        None => Ok(ws.acting_person()?.map(|p| p.id)),
    }
}

/// A termination's dates are given as --teach-out-until and --last-intake here.
fn termination_flags(e: AppError) -> AppError {
    e.map_fields(|mut f| {
        f.field = match f.field.as_str() {
            "last_intake_on" => "last-intake".into(),
            "teach_out_until" => "teach-out-until".into(),
            "due_on" => "due".into(),
            _ => f.field,
        };
        f
    })
}

fn invalid(field: &str, message: String) -> AppError {
    AppError::field(field, message)
}

/// A file named on the command line, read whole.
pub(crate) fn incoming(
    path: &std::path::Path,
) -> Result<credence_app::proposals::attachments::IncomingFile, AppError> {
    let bytes =
        std::fs::read(path).map_err(|e| invalid("file", format!("{}: {e}", path.display())))?;
    Ok(credence_app::proposals::attachments::IncomingFile {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes,
    })
}

/// Expands a hash prefix (8 characters or more) among a proposal's attachments, in the
/// current content and every version.
fn full_sha(ws: &Workspace, id: Id, prefix: &str) -> Result<String, AppError> {
    let prefix = prefix.to_ascii_lowercase();
    if prefix.len() < 8 {
        return Err(invalid(
            "sha256",
            "give at least 8 characters of the hash".into(),
        ));
    }
    let p = ws.proposal(id)?;
    let mut known: Vec<String> = p
        .content
        .attachments
        .iter()
        .map(|a| a.sha256.clone())
        .collect();
    for v in 1..=p.version {
        known.extend(
            ws.proposal_version(id, v)?
                .attachments
                .into_iter()
                .map(|a| a.sha256),
        );
    }
    known.sort();
    known.dedup();
    let matching: Vec<String> = known
        .into_iter()
        .filter(|s| s.starts_with(&prefix))
        .collect();
    match matching.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(AppError::not_found(format!(
            "proposal {id} has no attachment {prefix}"
        ))),
        _ => Err(invalid(
            "sha256",
            format!("{prefix} matches several attachments; give more of the hash"),
        )),
    }
}

/// `credence bench issue`: runs this very binary's `issue` on a scratch demo workspace and
/// times each run from process start to exit. Output folders are removed only at the end:
/// removing thousands of files just before a run slows the file system's next allocations.
/// `credence bench seats`: makes the scratch workspace, starts one process of this very
/// binary per seat (`bench seat`), waits for them all, and reports on what they did.
fn bench_seats(
    path: &std::path::Path,
    seats: u32,
    changes: u64,
) -> Result<credence_app::bench::SeatsBench, AppError> {
    let failed = |e: String| AppError::new(credence_app::ErrorKind::Internal, e);
    credence_app::bench::seats_setup(path)?;
    let exe = std::env::current_exe().map_err(|e| failed(e.to_string()))?;
    let children = (0..seats)
        .map(|seat| {
            std::process::Command::new(&exe)
                .arg("--workspace")
                .arg(path)
                .args(["bench", "seat", "--seat", &seat.to_string()])
                .args(["--changes", &changes.to_string()])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .map_err(|e| failed(format!("cannot start seat {seat} ({e})")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut runs = Vec::new();
    for (seat, child) in children.into_iter().enumerate() {
        let out = child
            .wait_with_output()
            .map_err(|e| failed(format!("seat {seat} ({e})")))?;
        if !out.status.success() {
            return Err(failed(format!(
                "seat {seat} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        runs.push(
            serde_json::from_slice(&out.stdout)
                .map_err(|e| failed(format!("seat {seat} reported no run ({e})")))?,
        );
    }
    credence_app::bench::seats_report(path, &runs)
}

fn bench_issue(dir: &std::path::Path, learners: u64) -> Result<(), AppError> {
    let failed = |what: String| AppError::new(ErrorKind::Internal, what);
    std::fs::create_dir_all(dir).map_err(|e| failed(format!("{}: {e}", dir.display())))?;
    let workspace = dir.join("bench.credence");
    let scratch = credence_app::bench::issue_scratch(&workspace)?;
    let exe = std::env::current_exe().map_err(|e| failed(e.to_string()))?;
    say!("credence issue, whole process, {learners} learners, signed on every core");
    for (label, formats) in [("json", "json"), ("all formats", "json,png,svg,pdf")] {
        let roster = dir.join(format!("roster-{}.csv", formats.replace(',', "-")));
        let text = credence_app::bench::bench_roster(learners, &formats.replace(',', ""));
        std::fs::write(&roster, text).map_err(|e| failed(e.to_string()))?;
        for run in ["new", "again"] {
            let out = dir.join(format!("out-{}-{run}", formats.replace(',', "-")));
            let start = std::time::Instant::now();
            let done = std::process::Command::new(&exe)
                .arg("--workspace")
                .arg(&workspace)
                .args(["--as", &scratch.coordinator_email, "issue", "--credential"])
                .arg(&scratch.microcredential)
                .arg("--roster")
                .arg(&roster)
                .arg("--out")
                .arg(&out)
                .args(["--formats", formats])
                .env("CREDENCE_ISSUER_PASSPHRASE", "demo")
                .env("CREDENCE_PASSPHRASE", credence_app::bench::DEMO_PASSPHRASE)
                .output()
                .map_err(|e| failed(e.to_string()))?;
            let seconds = start.elapsed().as_secs_f64();
            if !done.status.success() {
                return Err(failed(format!(
                    "credence issue failed: {}",
                    String::from_utf8_lossy(&done.stderr).trim()
                )));
            }
            say!(
                "{label:<12} {run:<6} {seconds:>7.2} s  {:>8.1} awards per second",
                learners as f64 / seconds
            );
        }
    }
    Ok(())
}

fn run(cli: Cli) -> Result<Outcome, AppError> {
    match &cli.command {
        Command::Init {
            institution,
            country,
            url,
            email,
        } => {
            let ws = open(&cli, OpenMode::CreateIfMissing)?;
            let inst = ws.init(&InstitutionInput {
                name: institution.clone(),
                country: country.clone(),
                url: url.clone(),
                email: email.clone(),
            })?;
            say!(
                "Created workspace {} for {}",
                ws.path().display(),
                inst.name
            );
        }
        Command::Enrol { email, code } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            let person = ws.person_by_email(email)?;
            let person = ws.enrol(person.id, Some(code), &review::passphrase()?)?;
            say!(
                "{} now signs with their own key; their passphrase signs them in",
                person.name
            );
        }
        Command::Demo => {
            let path = location::resolve(cli.workspace.as_deref());
            let ws = Workspace::open(&path, OpenMode::CreateIfMissing)?;
            let status = ws.seed_demo()?;
            let name = status.institution.map(|i| i.name).unwrap_or_default();
            say!(
                "Created the demo workspace {} ({name}: {} units, {} people)",
                path.display(),
                ws.units()?.len(),
                ws.people()?.len()
            );
        }
        Command::Workspace {
            command: WorkspaceCommand::InitServer { url },
        } => {
            credence_app::kernel::copy::init_server(url)?;
            say!(
                "Made {} a Credence workspace: copy one into it (`credence workspace copy FILE URL`) or set one up (`credence --workspace URL init ...`)",
                credence_app::kernel::named(std::path::Path::new(url))
            );
        }
        Command::Workspace {
            command: WorkspaceCommand::Copy { from, to },
        } => {
            let source = Workspace::open(from, OpenMode::MustExist)?;
            let report = source.copy_to(to)?;
            say!(
                "Copied {} rows of {} tables from {} to {}",
                report.rows(),
                report.tables.len(),
                report.from,
                report.to
            );
            let verdict = Workspace::open(to, OpenMode::MustExist)?.verify_audit()?;
            output::verdict(&verdict);
            if !verdict.holds() {
                return Ok(Outcome::Failed);
            }
        }
        Command::Event {
            command: events::EventCommand::Open { package },
        } => {
            events::open(package, &location::resolve(cli.workspace.as_deref()))?;
        }
        Command::ImportOb2 {
            paths,
            learners,
            map,
            archive_unmatched,
            json,
        } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            issuing::import_ob2(
                &ws,
                actor(&cli, &ws)?,
                paths,
                learners,
                map,
                *archive_unmatched,
                *json,
            )?;
        }
        Command::PriorLearning { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            prior_learning::run(&ws, actor(&cli, &ws)?, command)?;
        }
        Command::Event { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            events::run(&ws, actor(&cli, &ws)?, command)?;
        }
        Command::Serve {
            vc_api,
            tls_certificate,
        } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            let by = actor(&cli, &ws)?;
            serve::vc_api(ws, by, *vc_api, tls_certificate.as_deref())?;
        }
        Command::Verify {
            status_dir,
            verbose,
            files,
        } => {
            let mut all = true;
            for file in &credence_app::issuing::verification::expand_paths(files) {
                let report =
                    credence_app::issuing::verification::verify_file(file, status_dir.as_deref());
                all &= report.verified();
                output::verification(file, &report, *verbose);
            }
            if !all {
                return Ok(Outcome::Failed);
            }
        }
        Command::Bench {
            command: BenchCommand::Credentials { count, cryptosuite },
        } => {
            let suite = credence_vc_suite(cryptosuite)?;
            let dir = std::env::temp_dir().join(format!("credence-bench-{}", std::process::id()));
            let measured =
                credence_app::bench::credentials(&dir.join("bench.credence"), *count, suite);
            let _ = std::fs::remove_dir_all(&dir);
            let b = measured?;
            let kb = |v: Option<u64>| {
                v.map_or("?".to_string(), |k| format!("{:.1} MB", k as f64 / 1024.0))
            };
            say!(
                "{}: {} credentials of {} bytes, one thread",
                b.cryptosuite,
                b.credentials,
                b.credential_bytes
            );
            say!(
                "signed   {:>8.0} per second  (memory {} after 10%, {} at the end)",
                b.signed_per_second,
                kb(b.sign_rss_kb.0),
                kb(b.sign_rss_kb.1)
            );
            say!(
                "verified {:>8.0} per second  (memory {} after 10%, {} at the end)",
                b.verified_per_second,
                kb(b.verify_rss_kb.0),
                kb(b.verify_rss_kb.1)
            );
            say!(
                "a roster of {} issued (validated, signed, stored, audited) in {:.2} s",
                b.roster,
                b.roster_seconds
            );
        }
        Command::Bench {
            command: BenchCommand::Issue { learners },
        } => {
            let dir = std::env::temp_dir().join(format!("credence-bench-{}", std::process::id()));
            let measured = bench_issue(&dir, *learners);
            let _ = std::fs::remove_dir_all(&dir);
            measured?;
        }
        Command::Bench {
            command: BenchCommand::Certificates { count },
        } => {
            let dir = std::env::temp_dir().join(format!("credence-bench-{}", std::process::id()));
            let measured = credence_app::bench::certificates(&dir.join("bench.credence"), *count);
            let _ = std::fs::remove_dir_all(&dir);
            let b = measured?;
            let mb = |v: Option<u64>| {
                v.map_or("?".to_string(), |k| format!("{:.1} MB", k as f64 / 1024.0))
            };
            say!("{} certificates, one thread", b.certificates);
            say!(
                "rendered {:>8.1} per second ({:.2} ms each)",
                b.per_second,
                1000.0 / b.per_second
            );
            say!(
                "size     {:.1} KB on average, {:.1} KB the largest",
                b.mean_bytes as f64 / 1024.0,
                b.max_bytes as f64 / 1024.0
            );
            say!(
                "memory   {} after 10%, {} at the end",
                mb(b.rss_kb.0),
                mb(b.rss_kb.1)
            );
        }
        Command::Bench {
            command:
                BenchCommand::Review {
                    proposals,
                    motions,
                    server,
                },
        } => {
            let (at, dir) = server.scratch();
            let file = dir.join("bench.credence");
            let on_server = server.server.as_ref().map(|_| at.as_path());
            let measured = credence_app::bench::review(&file, on_server, *proposals, *motions);
            let _ = std::fs::remove_dir_all(&dir);
            let b = measured?;
            say!(
                "{} proposals, {} signed votes, {} audit entries ({} signed) made in {:.1} s",
                b.proposals,
                b.votes,
                b.audit_entries,
                b.signatures,
                b.fill_seconds
            );
            if let Some(s) = b.copy_seconds {
                say!("copied to {} in {s:.1} s; timed there", b.timed_on);
            }
            for q in &b.queries {
                say!(
                    "{:<58} p50 {:>6.2} ms  p95 {:>6.2} ms",
                    q.query,
                    q.p50_ms,
                    q.p95_ms
                );
            }
            say!(
                "audit verify (chain and every signature): {} entries in {:.2} s",
                b.audit_entries,
                b.verify_seconds
            );
        }
        Command::Bench {
            command: BenchCommand::Proposals { proposals, server },
        } => {
            let (path, dir) = server.scratch();
            let measured = credence_app::bench::proposals(&path, *proposals);
            let _ = std::fs::remove_dir_all(&dir);
            let b = measured?;
            say!(
                "{} proposals with {} outcomes imported in {:.1} s",
                b.proposals,
                b.outcomes,
                b.import_seconds
            );
            for q in &b.queries {
                say!(
                    "{:<50} p50 {:>6.2} ms  p95 {:>6.2} ms",
                    q.query,
                    q.p50_ms,
                    q.p95_ms
                );
            }
        }
        Command::Bench {
            command:
                BenchCommand::Seats {
                    seats,
                    changes,
                    server,
                    json,
                },
        } => {
            let (path, dir) = server.scratch();
            let measured = bench_seats(&path, *seats, *changes);
            let _ = std::fs::remove_dir_all(&dir);
            output::bench_seats(&measured?, json.json);
        }
        Command::Bench {
            command: BenchCommand::Seat { seat, changes },
        } => {
            let path = location::resolve(cli.workspace.as_deref());
            let run = credence_app::bench::seat(&path, *seat, *changes)?;
            say!(
                "{}",
                serde_json::to_string(&run)
                    .map_err(|e| AppError::new(credence_app::ErrorKind::Internal, e.to_string()))?
            );
        }
        Command::Bench {
            command: BenchCommand::Policy { evaluations },
        } => {
            let b = credence_app::bench::policy(*evaluations);
            say!(
                "policy evaluation: {:.1} µs per proposal ({} rules, {} findings, {} evaluations)",
                b.microseconds_per_evaluation,
                credence_app::domain::policy::PolicySet::shipped()
                    .rules
                    .len(),
                b.findings_per_evaluation,
                b.evaluations
            );
        }
        Command::Bench {
            command: BenchCommand::Audit { changes, json },
        } => {
            let dir = std::env::temp_dir().join(format!("credence-bench-{}", std::process::id()));
            let measured = credence_app::bench::audit(&dir.join("bench.credence"), *changes);
            let _ = std::fs::remove_dir_all(&dir);
            output::bench_audit(&measured?, json.json);
        }
        Command::Org { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            let current = ws.institution()?.ok_or_else(|| {
                AppError::new(
                    ErrorKind::Workspace,
                    "the workspace has no institution yet: run `credence init`",
                )
            })?;
            match command {
                OrgCommand::Show(f) => output::institution(&current, f.json),
                OrgCommand::Set {
                    name,
                    country,
                    url,
                    email,
                    logo,
                    remove_logo,
                } => {
                    let by = actor(&cli, &ws)?;
                    let pick =
                        |new: &Option<String>, old: &Option<String>| new.clone().or(old.clone());
                    let mut inst = ws.set_institution(
                        by,
                        &InstitutionInput {
                            name: name.clone().unwrap_or(current.name.clone()),
                            country: country.clone().unwrap_or(current.country.clone()),
                            url: pick(url, &current.url),
                            email: pick(email, &current.email),
                        },
                    )?;
                    if let Some(file) = logo {
                        let bytes = std::fs::read(file)
                            .map_err(|e| invalid("logo", format!("{}: {e}", file.display())))?;
                        inst = ws
                            .set_logo(by, Some(&bytes))
                            .map_err(|e| in_file(e, file))?;
                    } else if *remove_logo {
                        inst = ws.set_logo(by, None)?;
                    }
                    output::institution(&inst, false);
                }
            }
        }
        Command::Unit { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            match command {
                UnitCommand::List(f) => output::units(&ws.units()?, f.json),
                UnitCommand::Add {
                    code,
                    name,
                    kind,
                    parent,
                } => {
                    let kind = UnitKind::parse(kind).map_err(|m| invalid("kind", m))?;
                    let parent_id = match parent {
                        Some(p) => Some(
                            ws.unit_by_code(p)
                                .map_err(|e| invalid("parent", e.message))?
                                .id,
                        ),
                        None => None,
                    };
                    let unit = ws.create_unit(
                        actor(&cli, &ws)?,
                        &UnitInput {
                            code: code.clone(),
                            name: name.clone(),
                            kind,
                            parent_id,
                        },
                    )?;
                    say!("Added unit {} ({}), id {}", unit.code, unit.name, unit.id);
                }
            }
        }
        Command::Person { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            match command {
                PersonCommand::List(f) => output::people(&ws.people()?, &ws.units()?, f.json),
                PersonCommand::Add {
                    name,
                    email,
                    unit,
                    roles,
                } => {
                    let roles = roles
                        .iter()
                        .map(|r| Role::parse(r))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|m| invalid("role", m))?;
                    let unit_id = match unit {
                        Some(u) => Some(
                            ws.unit_by_code(u)
                                .map_err(|e| invalid("unit", e.message))?
                                .id,
                        ),
                        None => None,
                    };
                    let added = ws.create_person(
                        actor(&cli, &ws)?,
                        &PersonInput {
                            name: name.clone(),
                            email: email.clone(),
                            unit_id,
                            roles,
                        },
                    )?;
                    let person = &added.person;
                    say!("Added {} <{}>, id {}", person.name, person.email, person.id);
                    review::show_enrolment(&added.enrolment, &person.email);
                }
                PersonCommand::Enrolment { email } => {
                    let whose = ws.person_by_email(email)?;
                    let enrolment = ws.new_enrolment(actor(&cli, &ws)?, whose.id)?;
                    review::show_enrolment(&enrolment, &whose.email);
                }
            }
        }
        Command::Settings {
            attachment_limit_mb,
            credential_base_url,
            cryptosuite,
            eu_recommendation,
            verify_url,
            linkedin_organization_id,
            expiry_notice_days,
            idle_lock_minutes,
        } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            if let Some(minutes) = idle_lock_minutes {
                ws.set_idle_lock_minutes(actor(&cli, &ws)?, *minutes)?;
            }
            if let Some(mb) = attachment_limit_mb {
                if !mb.is_finite() || *mb <= 0.0 {
                    return Err(invalid(
                        "attachment-limit-mb",
                        "must be a positive number of megabytes".into(),
                    ));
                }
                let bytes = (mb * 1024.0 * 1024.0).round() as u64;
                ws.set_attachment_limit(actor(&cli, &ws)?, bytes)?;
            }
            if credential_base_url.is_some()
                || cryptosuite.is_some()
                || eu_recommendation.is_some()
                || verify_url.is_some()
                || linkedin_organization_id.is_some()
                || expiry_notice_days.is_some()
            {
                let mut wanted = ws.issuing_settings()?;
                if let Some(url) = credential_base_url {
                    wanted.base_url = Some(url.clone());
                }
                if let Some(suite) = cryptosuite {
                    wanted.cryptosuite = suite.clone();
                }
                if let Some(eu) = eu_recommendation {
                    wanted.eu_recommendation = *eu;
                }
                if let Some(url) = verify_url {
                    wanted.verify_url = Some(url.clone());
                }
                if let Some(id) = linkedin_organization_id {
                    wanted.linkedin_organization_id = Some(id.clone());
                }
                if let Some(days) = expiry_notice_days {
                    wanted.expiry_notice_days = *days;
                }
                if let Err(e) = ws.set_issuing_settings(actor(&cli, &ws)?, &wanted) {
                    return listed(e);
                }
            }
            let issuing = ws.issuing_settings()?;
            say!(
                "attachment limit: {}",
                credence_app::proposals::attachments::human_size(ws.attachment_limit()?)
            );
            say!(
                "credential base URL: {}",
                issuing.base_url.as_deref().unwrap_or("(not set)")
            );
            say!("cryptosuite: {}", issuing.cryptosuite);
            say!(
                "EU Council Recommendation elements: {}",
                if issuing.eu_recommendation {
                    "yes"
                } else {
                    "no"
                }
            );
            say!(
                "certificate verification page: {}",
                issuing.verify_url.as_deref().unwrap_or("(not set)")
            );
            say!(
                "LinkedIn organization id: {}",
                issuing
                    .linkedin_organization_id
                    .as_deref()
                    .unwrap_or("(not set)")
            );
            say!(
                "awards about to expire shown: {} days ahead",
                issuing.expiry_notice_days
            );
            say!(
                "sessions lock after: {} minutes idle",
                ws.idle_lock_minutes()?
            );
        }
        Command::Microcredential { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            match command {
                MicrocredentialCommand::List(f) => {
                    output::microcredentials(&ws.microcredential_list()?, f.json)
                }
                MicrocredentialCommand::Show { slug, json } => {
                    output::microcredential(&ws.microcredential(actor(&cli, &ws)?, slug)?, *json)
                }
            }
        }
        Command::Calendar { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            match command {
                CalendarCommand::List(f) => output::calendar(&ws.calendar()?, f.json),
                CalendarCommand::Add {
                    code,
                    name,
                    from,
                    to,
                } => {
                    let terms = ws
                        .add_term(
                            actor(&cli, &ws)?,
                            &credence_app::domain::calendar::AcademicTerm {
                                code: code.clone(),
                                name: name.clone(),
                                starts_on: from.clone(),
                                ends_on: to.clone(),
                            },
                        )
                        // The days are given as --from and --to here.
                        .map_err(|e| {
                            e.map_fields(|mut f| {
                                f.field = match f.field.as_str() {
                                    "starts_on" => "from".into(),
                                    "ends_on" => "to".into(),
                                    _ => f.field,
                                };
                                f
                            })
                        })?;
                    output::calendar(&terms, false);
                }
                CalendarCommand::Remove { code } => {
                    output::calendar(&ws.remove_term(actor(&cli, &ws)?, code)?, false)
                }
            }
        }
        Command::Todo(json) => {
            let ws = open(&cli, OpenMode::MustExist)?;
            let by = actor(&cli, &ws)?;
            if by.is_none() {
                return Err(AppError::field(
                    "as",
                    "say whose things to do with --as EMAIL",
                ));
            }
            output::todo(&ws.inbox(by)?, json.json)
        }
        Command::ReviewCycle { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            match command {
                ReviewCycleCommand::List { due, json } => {
                    output::review_cycles(&ws.review_cycles(*due)?, *json)
                }
                ReviewCycleCommand::Renew { slug, note } => output::microcredential(
                    &ws.record_review(actor(&cli, &ws)?, slug, note)?,
                    false,
                ),
                ReviewCycleCommand::Record {
                    slug,
                    outcome,
                    note,
                    teach_out_until,
                    last_intake,
                    due,
                } => {
                    use credence_app::domain::lifecycle::ReviewOutcome;
                    let outcome = match (outcome.as_str(), teach_out_until) {
                        ("renewed", _) => ReviewOutcome::Renewed,
                        ("change-required", _) => ReviewOutcome::ChangeRequired {
                            due_on: due.clone().unwrap_or_default(),
                        },
                        ("sunset", Some(until)) => ReviewOutcome::Sunset {
                            teach_out_until: until.clone(),
                            last_intake_on: last_intake.clone(),
                        },
                        ("sunset", None) => {
                            return Err(invalid(
                                "teach-out-until",
                                "a sunset needs the last day awards are allowed".into(),
                            ))
                        }
                        (other, _) => {
                            return Err(invalid(
                                "outcome",
                                format!("\"{other}\" is not a review outcome (renewed, change-required, sunset)"),
                            ))
                        }
                    };
                    let done = ws
                        .record_review_outcome(actor(&cli, &ws)?, slug, note, &outcome)
                        .map_err(termination_flags)?;
                    output::microcredential(&done.microcredential, false);
                    match (&outcome, done.case) {
                        (ReviewOutcome::ChangeRequired { due_on }, Some(case)) => {
                            say!("Opened change request {case}, due by {due_on}: edit it with `credence proposal edit {case} --file`")
                        }
                        (ReviewOutcome::Sunset { .. }, Some(case)) => say!(
                            "Opened termination request {case}: accept it onto its route with `credence proposal accept {case}`"
                        ),
                        _ => {}
                    }
                }
            }
        }
        Command::Suspend { slug, reason } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            output::microcredential(&ws.suspend(actor(&cli, &ws)?, slug, reason)?, false);
        }
        Command::Resume { slug } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            output::microcredential(&ws.resume(actor(&cli, &ws)?, slug)?, false);
        }
        Command::Change { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            cases::change(&ws, actor(&cli, &ws)?, command)?;
        }
        Command::Terminate {
            slug,
            reason,
            teach_out_until,
            last_intake,
        } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            let details = credence_app::domain::case::TerminationDetails {
                reason: reason.clone(),
                last_intake_on: last_intake.clone(),
                teach_out_until: teach_out_until.clone(),
            };
            cases::terminate(&ws, actor(&cli, &ws)?, slug, details).map_err(termination_flags)?;
        }
        Command::Report { csv, pdf, json } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            let written = |path: &std::path::Path, e: std::io::Error| {
                invalid("out", format!("cannot write {} ({e})", path.display()))
            };
            if let Some(dir) = csv {
                std::fs::create_dir_all(dir).map_err(|e| written(dir, e))?;
                for (name, text) in ws.report_csv()? {
                    let path = dir.join(&name);
                    credence_app::kernel::exports::write_whole(&path, text.as_bytes())
                        .map_err(|e| written(&path, e))?;
                    say!("Wrote {}", path.display());
                }
            }
            if let Some(path) = pdf {
                credence_app::kernel::exports::write_whole(path, &ws.report_pdf()?)
                    .map_err(|e| written(path, e))?;
                say!("Wrote {}", path.display());
            }
            if csv.is_none() && pdf.is_none() {
                output::report(&ws.report()?, *json);
            }
        }
        Command::Retire { slug } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            output::microcredential(&ws.end_teach_out(actor(&cli, &ws)?, slug)?, false);
        }
        Command::Catalog {
            command: CatalogCommand::Export { out },
        } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            let r = ws.export_catalog(out)?;
            say!(
                "Wrote the catalog to {}: {} microcredentials listed ({} in teach-out), {} achievement documents, {} files; open index.html",
                r.dir, r.listed, r.teach_out, r.achievements, r.files
            );
        }
        Command::Credential { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            issuing::credential(&ws, command)?;
        }
        Command::Issue {
            credential,
            roster,
            map,
            out,
            formats,
        } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            if let Err(e) = issuing::issue(
                &ws,
                actor(&cli, &ws)?,
                credential,
                (roster, map),
                out,
                formats,
            ) {
                return listed(e);
            }
        }
        Command::Revoke {
            from: Some(file),
            reason,
            ..
        } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            if let Err(e) = issuing::revoke_listed(&ws, actor(&cli, &ws)?, file, reason) {
                return listed(e);
            }
        }
        Command::Correct {
            award,
            name,
            email,
            completed_on,
            reason,
        } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            let change = credence_app::domain::award::AwardCorrection {
                name: name.clone(),
                email: email.clone(),
                completed_on: completed_on.clone(),
            };
            if let Err(e) = issuing::correct(&ws, actor(&cli, &ws)?, award, &change, reason) {
                return listed(e);
            }
        }
        Command::Renew {
            award,
            completed_on,
        } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            if let Err(e) = issuing::renew(&ws, actor(&cli, &ws)?, award, completed_on.as_deref()) {
                return listed(e);
            }
        }
        Command::Revoke { ids, reason, .. } | Command::Reinstate { ids, reason } => {
            let reinstate = matches!(cli.command, Command::Reinstate { .. });
            let ws = open(&cli, OpenMode::MustExist)?;
            if let Err(e) = issuing::revoke(&ws, actor(&cli, &ws)?, ids, reason, reinstate) {
                return listed(e);
            }
        }
        Command::StatusList { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            if let Err(e) = issuing::status_list(&ws, command) {
                return listed(e);
            }
        }
        Command::Key { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            if let Err(e) = review::key(&ws, actor(&cli, &ws)?, command) {
                return listed(e);
            }
        }
        Command::Committee { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            if let Err(e) = review::committee(&ws, actor(&cli, &ws)?, command) {
                return listed(e);
            }
        }
        Command::Review { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            if let Err(e) = review::review(&ws, actor(&cli, &ws)?, command) {
                return listed(e);
            }
        }
        Command::Meeting { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            if let Err(e) = review::meeting(&ws, actor(&cli, &ws)?, command) {
                return listed(e);
            }
        }
        Command::Condition { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            if let Err(e) = review::condition(&ws, actor(&cli, &ws)?, command) {
                return listed(e);
            }
        }
        Command::Proposal { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            if let Err(e) = proposal(&cli, &ws, command) {
                return listed(e);
            }
        }
        Command::Taxonomy { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            match command {
                TaxonomyCommand::Export { out } => {
                    let json = serde_json::to_string_pretty(&ws.taxonomy()?).unwrap_or_default();
                    match out {
                        Some(file) => {
                            credence_app::kernel::exports::write_whole(
                                file,
                                format!("{json}\n").as_bytes(),
                            )
                            .map_err(|e| invalid("out", format!("{}: {e}", file.display())))?;
                            say!("Wrote the taxonomy to {}", file.display());
                        }
                        None => say!("{json}"),
                    }
                }
                TaxonomyCommand::Import { file } => {
                    let text = std::fs::read_to_string(file)
                        .map_err(|e| invalid("file", format!("{}: {e}", file.display())))?;
                    match ws.import_taxonomy(actor(&cli, &ws)?, &text) {
                        Ok(n) => say!("Imported {n} terms and skills from {}", file.display()),
                        Err(e) => return listed(e),
                    }
                }
            }
        }
        Command::Skills {
            command: SkillsCommand::Import { file, framework },
        } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            let text = std::fs::read_to_string(file)
                .map_err(|e| invalid("file", format!("{}: {e}", file.display())))?;
            match ws.import_skills_csv(actor(&cli, &ws)?, framework, &text) {
                Ok(n) => say!(
                    "Imported {n} skills into {framework} from {}",
                    file.display()
                ),
                Err(e) => return listed(e),
            }
        }
        Command::Audit { command } => {
            let ws = open(&cli, OpenMode::MustExist)?;
            match command {
                AuditCommand::Verify { receipt } => {
                    let verdict = ws.verify_audit()?;
                    output::verdict(&verdict);
                    let mut holds = verdict.holds();
                    if let Some(file) = receipt {
                        let text = std::fs::read_to_string(file).map_err(|e| {
                            AppError::field(
                                "receipt",
                                format!("cannot read {} ({e})", file.display()),
                            )
                        })?;
                        let check = ws.check_receipt(&text)?;
                        output::receipt(&check);
                        holds &= check.problems.is_empty();
                    }
                    if !holds {
                        return Ok(Outcome::Failed);
                    }
                }
                AuditCommand::Receipt { out } => {
                    let receipt = ws.audit_receipt(actor(&cli, &ws)?, &review::passphrase()?)?;
                    let text = serde_json::to_string_pretty(&receipt).map_err(|e| {
                        AppError::new(credence_app::ErrorKind::Internal, e.to_string())
                    })?;
                    credence_app::kernel::exports::write_whole(out, text.as_bytes()).map_err(
                        |e| AppError::field("out", format!("cannot write {} ({e})", out.display())),
                    )?;
                    say!(
                        "Wrote a receipt for entry {} signed by {} to {}",
                        receipt.statement.content["seq"],
                        receipt.statement.signer_name,
                        out.display()
                    );
                }
                AuditCommand::List {
                    entity,
                    id,
                    limit,
                    json,
                } => {
                    let entries = ws.audit(
                        actor(&cli, &ws)?,
                        &AuditQuery {
                            entity: entity.clone(),
                            entity_id: id.clone(),
                            before_seq: None,
                            limit: Some(*limit),
                        },
                    )?;
                    output::audit(&entries, json.json);
                }
            }
        }
    }
    Ok(Outcome::Done)
}

/// A refused submission or import names several fields: one line each on stderr.
fn credence_vc_suite(name: &str) -> Result<credence_app::issuing::Suite, AppError> {
    credence_app::issuing::Suite::parse(name).ok_or_else(|| {
        invalid(
            "cryptosuite",
            format!("\"{name}\" is not eddsa-rdfc-2022 or eddsa-jcs-2022"),
        )
    })
}

fn listed(e: AppError) -> Result<Outcome, AppError> {
    if e.fields.is_empty() {
        return Err(e);
    }
    for f in &e.fields {
        eprintln!("{}: {}", f.field, f.message);
    }
    Ok(Outcome::Failed)
}

fn proposal(cli: &Cli, ws: &Workspace, command: &ProposalCommand) -> Result<(), AppError> {
    use credence_app::domain::proposal::{ProposalEvent, ProposalStatus};
    use credence_app::proposals::ProposalQuery;
    let event = |id: &i64, e: ProposalEvent| -> Result<(), AppError> {
        let p = ws.move_proposal(actor(cli, ws)?, *id, &e)?;
        say!(
            "Proposal {} is now {} (version {})",
            p.id,
            p.status.label(),
            p.version
        );
        Ok(())
    };
    match command {
        ProposalCommand::List {
            kind,
            status,
            search,
            json,
        } => {
            let kind = kind
                .as_deref()
                .map(|k| {
                    credence_app::domain::case::CaseKind::parse(k).ok_or_else(|| {
                        invalid(
                            "kind",
                            format!("\"{k}\" is not a kind of case (new, change, termination)"),
                        )
                    })
                })
                .transpose()?;
            let status = status
                .as_deref()
                .map(|s| {
                    serde_json::from_value::<ProposalStatus>(serde_json::Value::String(s.into()))
                        .map_err(|_| invalid("status", format!("\"{s}\" is not a proposal status (draft, submitted, complete, approved, active, rejected, withdrawn)")))
                })
                .transpose()?;
            let page = ws.proposals(&ProposalQuery {
                kind,
                status,
                search: search.clone(),
                limit: Some(1000),
                ..Default::default()
            })?;
            output::proposals(&page, json.json);
        }
        ProposalCommand::Diff { id, from, to, json } => {
            output::version_diff(&ws.proposal_diff(*id, *from, *to)?, json.json)
        }
        ProposalCommand::Show { id, json } => {
            let p = ws.proposal(*id)?;
            let check = ws.check_proposal(Some(p.id), &p.content)?;
            output::proposal(&p, &check, json.json);
        }
        ProposalCommand::Export { format } => match format.as_str() {
            "json" => {
                let all = ws.export_proposals()?;
                say!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
            }
            "csv" => say!("{}", ws.export_proposals_csv()?.trim_end()),
            _ => {
                return Err(invalid(
                    "format",
                    format!("\"{format}\" is not an export format (json, csv)"),
                ))
            }
        },
        ProposalCommand::Import { file } => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| invalid("file", format!("{}: {e}", file.display())))?;
            let by = actor(cli, ws)?;
            let ids = if file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
            {
                ws.import_proposals_csv(by, &text)?
            } else {
                ws.import_proposals_json(by, &text)?
            };
            say!("Imported {} proposals from {}", ids.len(), file.display());
        }
        ProposalCommand::Edit { id, file } => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| invalid("file", format!("{}: {e}", file.display())))?;
            let draft = ws.proposal(*id)?;
            let content =
                credence_app::domain::formats::proposals::apply_fields(&draft.content, &text)?;
            let saved = ws.save_draft(actor(cli, ws)?, *id, &content)?;
            say!("Saved draft {} ({})", saved.id, saved.content.title);
        }
        ProposalCommand::Submit { id } => event(id, ProposalEvent::Submit)?,
        ProposalCommand::Accept { id } => event(id, ProposalEvent::AcceptAsComplete)?,
        ProposalCommand::Return { id, comment } => event(
            id,
            ProposalEvent::ReturnToDraft {
                comment: comment.clone(),
            },
        )?,
        ProposalCommand::Withdraw { id } => event(id, ProposalEvent::Withdraw)?,
        ProposalCommand::Badge { id, out } => {
            let files = ws.badge_files(&ws.proposal(*id)?.content, 512)?;
            let bytes = match out.extension().and_then(|e| e.to_str()) {
                Some("svg") => files.svg.map(String::into_bytes).ok_or_else(|| {
                    invalid(
                        "out",
                        format!("proposal {id}'s custom badge is a PNG; name a .png file"),
                    )
                })?,
                Some("png") => files.png,
                _ => {
                    return Err(invalid(
                        "out",
                        format!("{}: name a .svg or .png file", out.display()),
                    ))
                }
            };
            credence_app::kernel::exports::write_whole(out, &bytes)
                .map_err(|e| invalid("out", format!("{}: {e}", out.display())))?;
            say!("Wrote the badge of proposal {id} to {}", out.display());
        }
        ProposalCommand::Letter { id, out } => {
            let (_, bytes) = ws.document(credence_app::documents::DocumentKind::Letter, *id)?;
            review::write(out, &bytes)?;
            say!(
                "Wrote the decision letter for proposal {id} to {}",
                out.display()
            );
        }
        ProposalCommand::SetBadge { id, file, clear } => match file {
            Some(file) if !*clear => {
                let done = ws.set_custom_badge(actor(cli, ws)?, *id, &incoming(file)?)?;
                say!("Proposal {id} now carries {} as its badge", file.display());
                for r in &done.removed {
                    say!("  removed from the SVG: {r}");
                }
            }
            _ => {
                ws.clear_custom_badge(actor(cli, ws)?, *id)?;
                say!("Proposal {id} carries the badge drawn from the taxonomy");
            }
        },
        ProposalCommand::Attach { id, files } => {
            let incoming = files
                .iter()
                .map(|f| incoming(f))
                .collect::<Result<Vec<_>, _>>()?;
            let p = ws.attach_files(actor(cli, ws)?, *id, &incoming)?;
            say!(
                "Attached {} file(s) to proposal {id}; it has {} attachment(s)",
                files.len(),
                p.content.attachments.len()
            );
        }
        ProposalCommand::Attachments { id, json } => {
            output::attachments(&ws.proposal(*id)?.content.attachments, json.json);
        }
        ProposalCommand::Detach { id, sha256 } => {
            let sha = full_sha(ws, *id, sha256)?;
            ws.detach_file(actor(cli, ws)?, *id, &sha)?;
            say!("Removed {} from proposal {id}", &sha[..12]);
        }
        ProposalCommand::Save { id, sha256, out } => {
            let sha = full_sha(ws, *id, sha256)?;
            let (r, bytes) = ws.attachment(*id, &sha)?;
            credence_app::kernel::exports::write_whole(out, &bytes)
                .map_err(|e| invalid("out", format!("{}: {e}", out.display())))?;
            say!("Wrote {} ({}) to {}", r.name, r.media_type, out.display());
        }
    }
    Ok(())
}

/// Names the file in a logo error, so the message says which input to fix.
fn in_file(e: AppError, file: &std::path::Path) -> AppError {
    e.map_fields(|mut f| {
        f.message = format!("{}: {}", file.display(), f.message);
        f
    })
}
