//! Tauri commands: deserialize, call one `credence-app` function off the main thread, return.

use std::sync::Arc;

use base64::Engine;
use credence_app::audit::receipts::ReceiptCheck;
use credence_app::catalog::badge_image::BadgePreview;
use credence_app::catalog::Taxonomy;
use credence_app::certificates::award_files::AwardFormat;
use credence_app::certificates::{CertificatePreview, CertificateTemplates};
use credence_app::documents::DocumentKind;
use credence_app::domain::audit::ChainReport;
use credence_app::domain::award::{Award, AwardCorrection, LearnerInput, Microcredential};
use credence_app::domain::calendar::AcademicTerm;
use credence_app::domain::case::{ChangeDetails, TerminationDetails};
use credence_app::domain::certificate::{Template, TemplateInput};
use credence_app::domain::diff::ChangeLevel;
use credence_app::domain::institution::{
    countries as all_countries, Country, Institution, InstitutionInput,
};
use credence_app::domain::language::Language;
use credence_app::domain::lifecycle::ReviewOutcome;
use credence_app::domain::person::{Person, PersonInput};
use credence_app::domain::policy::PolicySet;
use credence_app::domain::prior_learning::Assessment;
use credence_app::domain::proposal::{ProposalContent, ProposalEvent};
use credence_app::domain::review::{
    Decision, Membership, ReviewerRole, Route, Rubric, Score, Visibility, VoteChoice, VotingRules,
};
use credence_app::domain::taxonomy::{Pathway, Term};
use credence_app::domain::unit::{Unit, UnitInput};
use credence_app::domain::Id;
use credence_app::issuing::batch::Batch;
use credence_app::issuing::events::{EventExported, EventFinished, EventView, MergeReport};
use credence_app::issuing::ob2_import::Ob2ImportReport;
use credence_app::issuing::prior_learning::{ClaimInput, PriorLearningClaim, PriorLearningState};
use credence_app::issuing::roster_file::RosterPreview;
use credence_app::issuing::verification::VerificationView;
use credence_app::issuing::{IssueReport, IssuerState, IssuingSettings};
use credence_app::kernel::secret::Passphrase;
use credence_app::kernel::signin::{Enrolment, IdleLock, PersonAdded, SignInOption};
use credence_app::kernel::SigningKeys;
use credence_app::lifecycle::change::ChangeView;
use credence_app::lifecycle::termination::{TerminationImpact, TerminationView};
use credence_app::lifecycle::{MicrocredentialSummary, MicrocredentialView, ReviewRecorded};
use credence_app::proposals::attachments::{BadgeUploadView, IncomingFile};
use credence_app::proposals::VersionDiff;
use credence_app::proposals::{ProposalCheck, ProposalPage, ProposalQuery, ProposalView};
use credence_app::review::deliberation::Deliberation;
use credence_app::review::{
    Inbox, MeetingView, MemberView, QueuedProposal, ReviewView, ServiceClock,
};
use credence_app::{
    AppError, AuditEntry, AuditQuery, ErrorKind, Session, SessionView, SetupInput, Workspace,
};
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager, State};

type Reply<T> = Result<T, AppError>;

/// The event every open view listens to, to refresh itself after a change.
pub const CHANGED: &str = "credence://changed";

/// Runs `f` against the session on a blocking thread.
async fn with_session<T: Send + 'static>(
    app: &AppHandle,
    f: impl FnOnce(&Session) -> Reply<T> + Send + 'static,
) -> Reply<T> {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<Session>()))
        .await
        .map_err(|e| AppError::new(ErrorKind::Internal, format!("the task failed: {e}")))?
}

/// Runs `f` against the open workspace on a blocking thread.
async fn with_workspace<T: Send + 'static>(
    app: &AppHandle,
    f: impl FnOnce(&Workspace) -> Reply<T> + Send + 'static,
) -> Reply<T> {
    with_session(app, |s| {
        let ws: Arc<Workspace> = s.workspace()?;
        f(&ws)
    })
    .await
}

/// Like `with_workspace`, as the acting person, announcing the change to every view.
async fn change<T: Send + 'static>(
    app: &AppHandle,
    entity: &'static str,
    f: impl FnOnce(&Workspace, Option<Id>) -> Reply<T> + Send + 'static,
) -> Reply<T> {
    let value = with_workspace(app, move |ws| f(ws, ws.acting_id()?)).await?;
    // A view that misses the event still refreshes on its next query; not worth failing for.
    let _ = app.emit(CHANGED, entity);
    // And every kind of record the change's audit entries name (an issue writes awards and
    // status lists, a decision proposals and meetings).
    let app = app.clone();
    let _ = tauri::async_runtime::spawn_blocking(move || {
        app.state::<crate::watch::Watch>().catch_up(&app)
    })
    .await;
    Ok(value)
}

#[tauri::command]
pub async fn session(app: AppHandle, _s: State<'_, Session>) -> Reply<SessionView> {
    with_session(&app, |s| Ok(s.view())).await
}

#[tauri::command]
pub async fn setup_workspace(
    app: AppHandle,
    input: SetupInput,
    passphrase: Passphrase,
) -> Reply<SessionView> {
    let view = with_session(&app, move |s| s.setup(&input, &passphrase)).await?;
    let _ = app.emit(CHANGED, "session");
    Ok(view)
}

#[tauri::command]
pub async fn open_demo(app: AppHandle) -> Reply<SessionView> {
    let view = with_session(&app, |s| s.open_demo()).await?;
    let _ = app.emit(CHANGED, "session");
    Ok(view)
}

/// "Connect to a shared workspace": opens the database at `url` with `password` (kept in the
/// system's keyring with `remember`).
#[tauri::command]
pub async fn connect_workspace(
    app: AppHandle,
    url: String,
    password: Passphrase,
    remember: bool,
) -> Reply<SessionView> {
    let connected = with_session(&app, move |s| s.connect(&url, &password, remember)).await?;
    let _ = app.emit(CHANGED, "session");
    Ok(connected)
}

#[tauri::command]
pub async fn set_acting_person(app: AppHandle, id: Id) -> Reply<Person> {
    change(&app, "session", move |ws, _| ws.set_acting_person(id)).await
}

/// The people the sign-in screen offers, and whether each can sign in or must enrol.
#[tauri::command]
pub async fn sign_in_options(app: AppHandle) -> Reply<Vec<SignInOption>> {
    with_workspace(&app, |ws| ws.sign_in_options()).await
}

#[tauri::command]
pub async fn sign_in(app: AppHandle, person: Id, passphrase: Passphrase) -> Reply<Person> {
    change(&app, "session", move |ws, _| {
        ws.sign_in(person, &passphrase)
    })
    .await
}

#[tauri::command]
pub async fn sign_out(app: AppHandle) -> Reply<()> {
    change(&app, "session", |ws, _| {
        ws.sign_out();
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn enrol(
    app: AppHandle,
    person: Id,
    code: String,
    passphrase: Passphrase,
) -> Reply<Person> {
    change(&app, "session", move |ws, _| {
        ws.enrol(person, Some(&code), &passphrase)
    })
    .await
}

/// The person at the window is active (keys, pointer): the session does not lock.
#[tauri::command]
pub async fn touch_session(app: AppHandle) -> Reply<()> {
    with_workspace(&app, |ws| {
        ws.touch();
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn new_enrolment(app: AppHandle, person: Id) -> Reply<Enrolment> {
    change(&app, "people", move |ws, by| ws.new_enrolment(by, person)).await
}

#[tauri::command]
pub async fn idle_lock_minutes(app: AppHandle) -> Reply<IdleLock> {
    with_workspace(&app, |ws| ws.idle_lock(ws.acting_id()?)).await
}

#[tauri::command]
pub async fn set_idle_lock_minutes(app: AppHandle, minutes: u32) -> Reply<u32> {
    change(&app, "settings", move |ws, by| {
        ws.set_idle_lock_minutes(by, minutes)
    })
    .await
}

#[tauri::command]
pub fn countries() -> Vec<Country> {
    all_countries()
}

/// The languages offered by name for a microcredential's texts and a template.
#[tauri::command]
pub fn languages() -> Vec<Language> {
    credence_app::domain::language::known()
}

#[tauri::command]
/// `seen`: the profile as the form read it, so a change another seat made since is refused.
pub async fn update_institution(
    app: AppHandle,
    input: InstitutionInput,
    seen: Option<Institution>,
) -> Reply<Institution> {
    change(&app, "institution", move |ws, by| {
        ws.set_institution_over(by, &input, seen.as_ref())
    })
    .await
}

/// `data` is the image file, base64-encoded.
#[tauri::command]
pub async fn set_logo(app: AppHandle, data: String) -> Reply<Institution> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|_| AppError::field("logo", "the file could not be read"))?;
    change(&app, "institution", move |ws, by| {
        ws.set_logo(by, Some(&bytes))
    })
    .await
}

#[tauri::command]
pub async fn remove_logo(app: AppHandle) -> Reply<Institution> {
    change(&app, "institution", |ws, by| ws.set_logo(by, None)).await
}

/// The logo as a `data:` URL, ready for an `<img>`.
#[tauri::command]
pub async fn institution_logo(app: AppHandle) -> Reply<Option<String>> {
    with_workspace(&app, |ws| {
        Ok(ws.logo()?.map(|(mime, bytes)| {
            format!(
                "data:{mime};base64,{}",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            )
        }))
    })
    .await
}

#[tauri::command]
pub async fn list_units(app: AppHandle) -> Reply<Vec<Unit>> {
    with_workspace(&app, |ws| ws.units()).await
}

#[tauri::command]
pub async fn create_unit(app: AppHandle, input: UnitInput) -> Reply<Unit> {
    change(&app, "unit", move |ws, by| ws.create_unit(by, &input)).await
}

#[tauri::command]
/// `seen`: the unit as the form read it, so a change another seat made since is refused.
pub async fn update_unit(
    app: AppHandle,
    id: Id,
    input: UnitInput,
    seen: Option<Unit>,
) -> Reply<Unit> {
    change(&app, "unit", move |ws, by| {
        ws.update_unit_over(by, id, &input, seen.as_ref())
    })
    .await
}

#[tauri::command]
pub async fn list_people(app: AppHandle) -> Reply<Vec<Person>> {
    with_workspace(&app, |ws| ws.people()).await
}

#[tauri::command]
pub async fn create_person(app: AppHandle, input: PersonInput) -> Reply<PersonAdded> {
    change(&app, "person", move |ws, by| ws.create_person(by, &input)).await
}

#[tauri::command]
/// `seen`: the person as the form read them, so a change another seat made since is refused.
pub async fn update_person(
    app: AppHandle,
    id: Id,
    input: PersonInput,
    seen: Option<Person>,
) -> Reply<Person> {
    change(&app, "person", move |ws, by| {
        ws.update_person_over(by, id, &input, seen.as_ref())
    })
    .await
}

#[tauri::command]
pub async fn audit_entries(app: AppHandle, query: AuditQuery) -> Reply<Vec<AuditEntry>> {
    with_workspace(&app, move |ws| ws.audit(ws.acting_id()?, &query)).await
}

#[tauri::command]
pub async fn verify_audit(app: AppHandle) -> Reply<ChainReport> {
    with_workspace(&app, |ws| ws.verify_audit()).await
}

// ----- proposals -----

#[tauri::command]
pub async fn taxonomy(app: AppHandle) -> Reply<Taxonomy> {
    with_workspace(&app, |ws| ws.taxonomy()).await
}

#[tauri::command]
pub async fn policy(app: AppHandle) -> Reply<PolicySet> {
    with_workspace(&app, |ws| ws.policy()).await
}

#[tauri::command]
pub async fn pathways(app: AppHandle) -> Reply<Vec<Pathway>> {
    with_workspace(&app, |ws| ws.pathways()).await
}

#[tauri::command]
pub async fn list_proposals(app: AppHandle, query: ProposalQuery) -> Reply<ProposalPage> {
    with_workspace(&app, move |ws| ws.proposals(&query)).await
}

#[tauri::command]
pub async fn get_proposal(app: AppHandle, id: Id) -> Reply<ProposalView> {
    with_workspace(&app, move |ws| ws.proposal(id)).await
}

#[tauri::command]
pub async fn proposal_version(app: AppHandle, id: Id, version: i64) -> Reply<ProposalContent> {
    with_workspace(&app, move |ws| ws.proposal_version(id, version)).await
}

#[tauri::command]
pub async fn check_proposal(
    app: AppHandle,
    id: Option<Id>,
    content: ProposalContent,
) -> Reply<ProposalCheck> {
    with_workspace(&app, move |ws| ws.check_proposal(id, &content)).await
}

#[tauri::command]
pub async fn create_proposal(app: AppHandle, title: String) -> Reply<ProposalView> {
    change(&app, "proposal", move |ws, by| ws.new_proposal(by, &title)).await
}

/// `base`: the `updated_at` of the draft the form holds; a draft saved since by anyone else
/// is not overwritten (a conflict naming who and when).
#[tauri::command]
pub async fn save_draft(
    app: AppHandle,
    id: Id,
    content: ProposalContent,
    base: Option<String>,
) -> Reply<ProposalView> {
    change(&app, "proposal", move |ws, by| {
        ws.save_draft_over(by, id, &content, base.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn move_proposal(app: AppHandle, id: Id, event: ProposalEvent) -> Reply<ProposalView> {
    change(&app, "proposal", move |ws, by| {
        ws.move_proposal(by, id, &event)
    })
    .await
}

#[tauri::command]
pub async fn put_term(app: AppHandle, term: Term) -> Reply<Term> {
    change(&app, "taxonomy", move |ws, by| ws.put_term(by, &term)).await
}

#[tauri::command]
pub async fn import_skills(app: AppHandle, framework: String, csv: String) -> Reply<usize> {
    change(&app, "taxonomy", move |ws, by| {
        ws.import_skills_csv(by, &framework, &csv)
    })
    .await
}

#[tauri::command]
/// `seen`: the policies as the page read them, so a change another seat made since is refused.
pub async fn set_policy(
    app: AppHandle,
    policy: PolicySet,
    seen: Option<PolicySet>,
) -> Reply<PolicySet> {
    change(&app, "policy", move |ws, by| {
        ws.set_policy_over(by, &policy, seen.as_ref())
    })
    .await
}

#[tauri::command]
pub async fn put_pathway(app: AppHandle, pathway: Pathway) -> Reply<Pathway> {
    change(&app, "pathways", move |ws, by| ws.put_pathway(by, &pathway)).await
}

#[tauri::command]
pub async fn badge_preview(app: AppHandle, content: ProposalContent) -> Reply<BadgePreview> {
    with_workspace(&app, move |ws| ws.badge_preview(&content)).await
}

/// A file the window read, base64-encoded.
#[derive(serde::Deserialize)]
pub struct FileData {
    name: String,
    data: String,
}

/// Every file decoded, each named under `field` where it cannot be.
fn decode_all(field: &str, files: Vec<FileData>) -> Reply<Vec<IncomingFile>> {
    files.into_iter().map(|f| decode(field, f)).collect()
}

/// Opens `path` (a read-only copy a use case wrote) in the system's viewer.
fn open_in_viewer(app: &AppHandle, path: &std::path::Path) -> Reply<()> {
    use tauri_plugin_opener::OpenerExt;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| {
            AppError::new(
                ErrorKind::Internal,
                format!("no program could open {}: {e}", path.display()),
            )
        })
}

/// A folder of the application's cache, for copies handed to the system's viewer.
fn cache_folder(app: &AppHandle, name: &str) -> Reply<std::path::PathBuf> {
    Ok(app
        .path()
        .app_cache_dir()
        .map_err(|e| AppError::new(ErrorKind::Internal, format!("no cache folder: {e}")))?
        .join(name))
}

fn decode(field: &str, f: FileData) -> Reply<IncomingFile> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(f.data.trim())
        .map_err(|_| AppError::field(field, format!("{} could not be read", f.name)))?;
    Ok(IncomingFile {
        name: f.name,
        bytes,
    })
}

#[tauri::command]
pub async fn attach_files(app: AppHandle, id: Id, files: Vec<FileData>) -> Reply<ProposalView> {
    let files = decode_all("attachments", files)?;
    change(&app, "proposal", move |ws, by| {
        ws.attach_files(by, id, &files)
    })
    .await
}

#[tauri::command]
pub async fn detach_file(app: AppHandle, id: Id, sha256: String) -> Reply<ProposalView> {
    change(&app, "proposal", move |ws, by| {
        ws.detach_file(by, id, &sha256)
    })
    .await
}

/// Opens an attachment with the system's viewer, from a read-only copy in the cache.
#[tauri::command]
pub async fn open_attachment(app: AppHandle, id: Id, sha256: String) -> Reply<()> {
    let dir = cache_folder(&app, "attachments")?;
    let path = with_workspace(&app, move |ws| ws.attachment_copy(id, &sha256, &dir)).await?;
    open_in_viewer(&app, &path)
}

#[tauri::command]
pub async fn set_custom_badge(app: AppHandle, id: Id, file: FileData) -> Reply<BadgeUploadView> {
    let file = decode("custom_badge", file)?;
    change(&app, "proposal", move |ws, by| {
        ws.set_custom_badge(by, id, &file)
    })
    .await
}

#[tauri::command]
pub async fn clear_custom_badge(app: AppHandle, id: Id) -> Reply<ProposalView> {
    change(&app, "proposal", move |ws, by| {
        ws.clear_custom_badge(by, id)
    })
    .await
}

/// The attachment size limit, in bytes.
#[tauri::command]
pub async fn attachment_limit(app: AppHandle) -> Reply<u64> {
    with_workspace(&app, |ws| ws.attachment_limit()).await
}

#[tauri::command]
pub async fn set_attachment_limit(app: AppHandle, max_bytes: u64) -> Reply<u64> {
    change(&app, "settings", move |ws, by| {
        ws.set_attachment_limit(by, max_bytes)
    })
    .await
}

// ----- committee review -----

#[tauri::command]
pub async fn inbox(app: AppHandle) -> Reply<Inbox> {
    with_workspace(&app, |ws| ws.inbox(ws.acting_id()?)).await
}

#[tauri::command]
pub async fn review(app: AppHandle, id: Id) -> Reply<ReviewView> {
    with_workspace(&app, move |ws| ws.review(id)).await
}

#[tauri::command]
pub async fn service_clock(app: AppHandle) -> Reply<ServiceClock> {
    with_workspace(&app, |ws| ws.service_clock()).await
}

#[tauri::command]
pub async fn committee(app: AppHandle) -> Reply<Vec<MemberView>> {
    with_workspace(&app, |ws| ws.committee()).await
}

#[tauri::command]
pub async fn committee_queue(app: AppHandle) -> Reply<Vec<QueuedProposal>> {
    with_workspace(&app, |ws| ws.committee_queue()).await
}

#[tauri::command]
pub async fn add_member(app: AppHandle, membership: Membership) -> Reply<MemberView> {
    change(&app, "committee", move |ws, by| {
        ws.add_member(by, &membership)
    })
    .await
}

#[tauri::command]
pub async fn voting_rules(app: AppHandle) -> Reply<VotingRules> {
    with_workspace(&app, |ws| ws.voting_rules()).await
}

#[tauri::command]
pub async fn set_voting_rules(app: AppHandle, rules: VotingRules) -> Reply<VotingRules> {
    change(&app, "committee", move |ws, by| {
        ws.set_voting_rules(by, rules)
    })
    .await
}

#[tauri::command]
pub async fn create_signing_key(app: AppHandle, passphrase: Passphrase) -> Reply<String> {
    change(&app, "people", move |ws, by| {
        ws.create_signing_key(by, &passphrase)
    })
    .await
}

#[tauri::command]
pub async fn renew_signing_key(
    app: AppHandle,
    passphrase: Passphrase,
    new_passphrase: Passphrase,
) -> Reply<String> {
    change(&app, "people", move |ws, by| {
        ws.renew_signing_key(by, &passphrase, &new_passphrase)
    })
    .await
}

#[tauri::command]
pub async fn signing_keys(app: AppHandle) -> Reply<SigningKeys> {
    with_workspace(&app, |ws| ws.signing_keys(ws.acting_id()?)).await
}

#[tauri::command]
pub async fn reset_signing_key(
    app: AppHandle,
    person: Id,
    reason: String,
    passphrase: Passphrase,
) -> Reply<Enrolment> {
    change(&app, "people", move |ws, by| {
        ws.reset_signing_key(by, person, &reason, &passphrase)
    })
    .await
}

#[tauri::command]
pub async fn sign_off(
    app: AppHandle,
    id: Id,
    approve: bool,
    comment: String,
    passphrase: Passphrase,
) -> Reply<ReviewView> {
    change(&app, "proposal", move |ws, by| {
        ws.sign_off(by, id, approve, &comment, &passphrase)
    })
    .await
}

#[tauri::command]
pub async fn declare_conflict(app: AppHandle, id: Id, reason: String) -> Reply<()> {
    change(&app, "proposal", move |ws, by| {
        ws.declare_conflict(by, id, &reason)
    })
    .await
}

#[tauri::command]
pub async fn meet_condition(
    app: AppHandle,
    id: Id,
    note: String,
    passphrase: Passphrase,
) -> Reply<ReviewView> {
    change(&app, "proposal", move |ws, by| {
        ws.meet_condition(by, id, &note, &passphrase)
    })
    .await
}

#[tauri::command]
pub async fn meetings(app: AppHandle) -> Reply<Vec<MeetingView>> {
    with_workspace(&app, |ws| ws.meetings()).await
}

#[tauri::command]
pub async fn meeting(app: AppHandle, id: Id) -> Reply<MeetingView> {
    with_workspace(&app, move |ws| ws.meeting(id)).await
}

#[tauri::command]
pub async fn schedule_meeting(
    app: AppHandle,
    title: String,
    held_on: String,
) -> Reply<MeetingView> {
    change(&app, "meetings", move |ws, by| {
        ws.schedule_meeting(by, &title, &held_on)
    })
    .await
}

#[tauri::command]
pub async fn set_agenda(app: AppHandle, id: Id, proposals: Vec<Id>) -> Reply<MeetingView> {
    change(&app, "meetings", move |ws, by| {
        ws.set_agenda(by, id, &proposals)
    })
    .await
}

#[tauri::command]
pub async fn record_attendance(app: AppHandle, id: Id, present: Vec<Id>) -> Reply<MeetingView> {
    change(&app, "meetings", move |ws, by| {
        ws.record_attendance(by, id, &present)
    })
    .await
}

#[tauri::command]
pub async fn move_motion(
    app: AppHandle,
    id: Id,
    proposal: Id,
    decision: Decision,
    moved_by: Id,
    seconded_by: Id,
) -> Reply<MeetingView> {
    change(&app, "meetings", move |ws, by| {
        ws.move_motion(by, id, proposal, &decision, moved_by, seconded_by)
    })
    .await
}

#[tauri::command]
pub async fn cast_vote(
    app: AppHandle,
    motion: Id,
    choice: VoteChoice,
    passphrase: Passphrase,
) -> Reply<MeetingView> {
    change(&app, "meetings", move |ws, by| {
        ws.cast_vote(by, motion, choice, &passphrase)
    })
    .await
}

#[tauri::command]
pub async fn close_motion(
    app: AppHandle,
    motion: Id,
    passphrase: Passphrase,
) -> Reply<MeetingView> {
    change(&app, "meetings", move |ws, by| {
        ws.close_motion(by, motion, &passphrase)
    })
    .await
}

#[tauri::command]
pub async fn acknowledge_item(app: AppHandle, id: Id, proposal: Id) -> Reply<MeetingView> {
    change(&app, "meetings", move |ws, by| {
        ws.acknowledge_item(by, id, proposal)
    })
    .await
}

#[tauri::command]
pub async fn close_meeting(app: AppHandle, id: Id) -> Reply<MeetingView> {
    change(&app, "meetings", move |ws, by| ws.close_meeting(by, id)).await
}

/// Writes a PDF into the cache folder `sub` and opens it with the system's PDF viewer;
/// returns where it was written (without a PDF viewer the file is still written).
async fn open_pdf(
    app: &AppHandle,
    sub: &'static str,
    make: impl FnOnce(&Workspace) -> Reply<(String, Vec<u8>)> + Send + 'static,
) -> Reply<String> {
    let dir = app
        .path()
        .app_cache_dir()
        .map_err(|e| AppError::new(ErrorKind::Internal, format!("no cache folder: {e}")))?
        .join(sub);
    let path = with_workspace(app, move |ws| {
        let (name, bytes) = make(ws)?;
        std::fs::create_dir_all(&dir)
            .and_then(|()| credence_app::kernel::exports::write_whole(&dir.join(&name), &bytes))
            .map_err(|e| AppError::new(ErrorKind::Internal, format!("{}: {e}", dir.display())))?;
        Ok(dir.join(name))
    })
    .await?;
    use tauri_plugin_opener::OpenerExt;
    let _ = app
        .opener()
        .open_path(path.display().to_string(), None::<&str>);
    Ok(path.display().to_string())
}

/// Writes a committee document to the cache folder and opens it with the system's PDF
/// viewer; returns where it was written.
#[tauri::command]
pub async fn open_document(app: AppHandle, kind: DocumentKind, id: Id) -> Reply<String> {
    open_pdf(&app, "documents", move |ws| ws.document(kind, id)).await
}

/// Writes an award's certificate to the cache folder and opens it; returns where.
#[tauri::command]
pub async fn open_certificate(app: AppHandle, id: String) -> Reply<String> {
    open_pdf(&app, "certificates", move |ws| {
        let award = ws.award(&id)?;
        Ok((
            format!("certificate-{}.pdf", award.id),
            ws.award_certificate(&award.id)?,
        ))
    })
    .await
}

#[tauri::command]
pub async fn certificate_templates(app: AppHandle) -> Reply<CertificateTemplates> {
    with_workspace(&app, |ws| ws.certificate_templates()).await
}

#[tauri::command]
pub async fn save_certificate_template(
    app: AppHandle,
    id: Option<Id>,
    input: TemplateInput,
) -> Reply<Template> {
    change(&app, "certificates", move |ws, by| {
        ws.save_certificate_template(by, id, &input)
    })
    .await
}

#[tauri::command]
pub async fn delete_certificate_template(app: AppHandle, id: Id) -> Reply<()> {
    change(&app, "certificates", move |ws, by| {
        ws.delete_certificate_template(by, id)
    })
    .await
}

/// Stores a signature image (base64 of a PNG or JPEG); returns its name for the template.
#[tauri::command]
pub async fn add_signature_image(app: AppHandle, field: String, file: FileData) -> Reply<String> {
    let file = decode(&field, file)?;
    change(&app, "certificates", move |ws, by| {
        ws.add_signature_image(by, &field, &file.bytes)
    })
    .await
}

#[tauri::command]
pub async fn signature_image(app: AppHandle, sha: String) -> Reply<String> {
    with_workspace(&app, move |ws| ws.signature_image(&sha)).await
}

#[tauri::command]
pub async fn preview_certificate_template(
    app: AppHandle,
    input: TemplateInput,
) -> Reply<CertificatePreview> {
    with_workspace(&app, move |ws| ws.preview_certificate_template(&input)).await
}

#[tauri::command]
pub async fn preview_certificate(
    app: AppHandle,
    microcredential: String,
    learner: LearnerInput,
) -> Reply<CertificatePreview> {
    with_workspace(&app, move |ws| {
        ws.preview_certificate(&microcredential, &learner)
    })
    .await
}

#[tauri::command]
pub async fn open_electronic_vote(
    app: AppHandle,
    proposal: Id,
    decision: Decision,
    moved_by: Id,
    seconded_by: Id,
    deadline: String,
) -> Reply<MeetingView> {
    change(&app, "meetings", move |ws, by| {
        ws.open_electronic_vote(by, proposal, &decision, moved_by, seconded_by, &deadline)
    })
    .await
}

#[tauri::command]
pub async fn deliberation(app: AppHandle, id: Id) -> Reply<Deliberation> {
    with_workspace(&app, move |ws| ws.deliberation(ws.acting_id()?, id)).await
}

#[tauri::command]
pub async fn assign_reviewer(
    app: AppHandle,
    id: Id,
    reviewer: Id,
    role: ReviewerRole,
) -> Reply<Deliberation> {
    change(&app, "proposal", move |ws, by| {
        ws.assign_reviewer(by, id, reviewer, role)
    })
    .await
}

#[tauri::command]
pub async fn submit_scores(app: AppHandle, id: Id, scores: Vec<Score>) -> Reply<Deliberation> {
    change(&app, "proposal", move |ws, by| {
        ws.submit_scores(by, id, &scores)
    })
    .await
}

#[tauri::command]
pub async fn add_comment(
    app: AppHandle,
    id: Id,
    field: String,
    visibility: Visibility,
    parent: Option<Id>,
    text: String,
) -> Reply<Deliberation> {
    change(&app, "proposal", move |ws, by| {
        ws.add_comment(by, id, &field, visibility, parent, &text)
    })
    .await
}

#[tauri::command]
pub async fn edit_comment(
    app: AppHandle,
    id: Id,
    comment: Id,
    text: String,
) -> Reply<Deliberation> {
    change(&app, "proposal", move |ws, by| {
        ws.edit_comment(by, id, comment, &text)
    })
    .await
}

#[tauri::command]
pub async fn routes(app: AppHandle) -> Reply<Vec<Route>> {
    with_workspace(&app, |ws| ws.routes()).await
}

#[tauri::command]
pub async fn put_route(app: AppHandle, route: Route) -> Reply<Route> {
    change(&app, "routes", move |ws, by| ws.put_route(by, &route)).await
}

#[tauri::command]
pub async fn rubric(app: AppHandle) -> Reply<Rubric> {
    with_workspace(&app, |ws| ws.rubric()).await
}

#[tauri::command]
pub async fn set_rubric(app: AppHandle, rubric: Rubric) -> Reply<Rubric> {
    change(&app, "committee", move |ws, by| ws.set_rubric(by, &rubric)).await
}

// ----- credentials -----

#[tauri::command]
pub async fn issuer_state(app: AppHandle) -> Reply<IssuerState> {
    with_workspace(&app, |ws| ws.issuer_state()).await
}

#[tauri::command]
pub async fn unlock_issuer(app: AppHandle, passphrase: Passphrase) -> Reply<IssuerState> {
    change(&app, "issuer", move |ws, _| {
        ws.unlock_issuer(&passphrase)?;
        ws.issuer_state()
    })
    .await
}

#[tauri::command]
pub async fn lock_issuer(app: AppHandle) -> Reply<IssuerState> {
    change(&app, "issuer", move |ws, _| {
        ws.lock_issuer();
        ws.issuer_state()
    })
    .await
}

#[tauri::command]
pub async fn rotate_issuer_key(
    app: AppHandle,
    passphrase: Passphrase,
    new_passphrase: Option<Passphrase>,
) -> Reply<IssuerState> {
    change(&app, "issuer", move |ws, by| {
        ws.rotate_issuer_key(by, &passphrase, new_passphrase.as_deref())?;
        ws.issuer_state()
    })
    .await
}

#[tauri::command]
pub async fn set_issuing_settings(app: AppHandle, input: IssuingSettings) -> Reply<IssuerState> {
    change(&app, "issuer", move |ws, by| {
        ws.set_issuing_settings(by, &input)?;
        ws.issuer_state()
    })
    .await
}

#[tauri::command]
pub async fn microcredentials(app: AppHandle) -> Reply<Vec<Microcredential>> {
    with_workspace(&app, |ws| ws.microcredentials()).await
}

#[tauri::command]
pub async fn awards(app: AppHandle, search: String) -> Reply<Vec<Award>> {
    with_workspace(&app, move |ws| ws.awards(&search, 500)).await
}

#[tauri::command]
pub async fn issue_credential(
    app: AppHandle,
    microcredential: String,
    learner: LearnerInput,
) -> Reply<IssueReport> {
    change(&app, "awards", move |ws, by| {
        ws.issue(by, &microcredential, std::slice::from_ref(&learner))
    })
    .await
}

/// What Credence makes of a roster file before anything is issued: its columns (named by
/// `mapping`, or as remembered for the same columns), first rows and every problem.
#[tauri::command]
pub async fn roster_preview(
    app: AppHandle,
    file: FileData,
    mapping: Option<Vec<(String, String)>>,
) -> Reply<RosterPreview> {
    let file = decode("roster", file)?;
    with_workspace(&app, move |ws| ws.roster_preview(&file, mapping)).await
}

/// Starts a batch issuing a roster file (CSV or XLSX, columns named by `mapping`; every row
/// checked first), or finds the one this roster started before; `run_batch` then issues it.
#[tauri::command]
pub async fn start_batch(
    app: AppHandle,
    microcredential: String,
    file: FileData,
    mapping: Vec<(String, String)>,
) -> Reply<Batch> {
    let file = decode("roster", file)?;
    change(&app, "issue_batch", move |ws, by| {
        let learners = ws.roster_learners(&file, &mapping)?;
        Ok(ws.start_batch(by, &microcredential, learners)?.0)
    })
    .await
}

/// Runs a batch to its end (or until cancelled), sending the batch to `on_progress` after
/// each committed chunk and announcing the new awards to every view.
#[tauri::command]
pub async fn run_batch(app: AppHandle, id: String, on_progress: Channel<Batch>) -> Reply<Batch> {
    let announce = app.clone();
    change(&app, "issue_batch", move |ws, by| {
        ws.run_batch(by, &id, &mut |batch, _| {
            // A closed window stops listening; the batch goes on regardless.
            let _ = on_progress.send(batch.clone());
            let _ = announce.emit(CHANGED, "award");
            Ok(())
        })
    })
    .await
}

#[tauri::command]
pub async fn cancel_batch(app: AppHandle, id: String) -> Reply<Batch> {
    change(&app, "issue_batch", move |ws, by| ws.cancel_batch(by, &id)).await
}

#[tauri::command]
pub async fn close_batch(app: AppHandle, id: String) -> Reply<Batch> {
    change(&app, "issue_batch", move |ws, by| ws.close_batch(by, &id)).await
}

/// Saves a roster batch's awards as another platform's bulk file (`platform`: credly,
/// canvas, accredible), into a folder the person chooses.
#[tauri::command]
pub async fn save_batch_platform_csv(
    app: AppHandle,
    id: String,
    platform: String,
    badge_id: String,
) -> Reply<Option<String>> {
    let platform = credence_app::domain::formats::platforms::Platform::parse(&platform)
        .ok_or_else(|| AppError::field("platform", format!("\"{platform}\" is not a platform")))?;
    save_into_folder(&app, move |ws| {
        let file = ws.batch_platform_csv(platform, &id, &badge_id)?;
        Ok(vec![(file.name, file.csv.into_bytes())])
    })
    .await
}

/// Asks where to save a file (the system's dialog), suggesting `name`; `None` when the
/// person cancelled.
async fn save_as(
    app: &AppHandle,
    label: &'static str,
    ext: &'static str,
    name: String,
) -> Reply<Option<std::path::PathBuf>> {
    use tauri_plugin_dialog::DialogExt;
    let app = app.clone();
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .add_filter(label, &[ext])
            .set_file_name(name)
            .blocking_save_file()
    })
    .await
    .map_err(|e| AppError::new(ErrorKind::Internal, format!("the task failed: {e}")))?;
    Ok(picked.and_then(|p| p.into_path().ok()))
}

/// The events this workspace exported (or, in an event workspace, its event).
#[tauri::command]
pub async fn events(app: AppHandle) -> Reply<Vec<EventView>> {
    with_workspace(&app, |ws| ws.events()).await
}

/// The event this workspace was made for, where it is an event workspace.
#[tauri::command]
pub async fn held_event(app: AppHandle) -> Reply<Option<EventView>> {
    with_workspace(&app, |ws| ws.held_event()).await
}

/// Exports an event package to the file the person names (`None`: cancelled).
#[tauri::command]
pub async fn export_event(
    app: AppHandle,
    microcredentials: Vec<String>,
    name: String,
    issuer_passphrase: Passphrase,
    event_passphrase: Passphrase,
) -> Reply<Option<EventExported>> {
    let Some(out) = save_as(
        &app,
        "Credence event package",
        "zip",
        "event-package.zip".into(),
    )
    .await?
    else {
        return Ok(None);
    };
    change(&app, "event", move |ws, by| {
        ws.export_event(
            by,
            &microcredentials,
            &name,
            &issuer_passphrase,
            &event_passphrase,
            &out,
        )
        .map(Some)
    })
    .await
}

/// Finishes this event workspace, writing its return package where the person says.
#[tauri::command]
pub async fn finish_event(app: AppHandle, passphrase: Passphrase) -> Reply<Option<EventFinished>> {
    let Some(out) = save_as(
        &app,
        "Credence event return",
        "zip",
        "event-return.zip".into(),
    )
    .await?
    else {
        return Ok(None);
    };
    change(&app, "event", move |ws, by| {
        ws.finish_event(by, &passphrase, &out).map(Some)
    })
    .await
}

/// Merges an event's return package (read by the window) into this workspace.
#[tauri::command]
pub async fn merge_event(app: AppHandle, file: FileData) -> Reply<MergeReport> {
    let file = decode("file", file)?;
    change(&app, "awards", move |ws, by| {
        ws.merge_event_bytes(by, &file.name, &file.bytes)
    })
    .await
}

/// Makes an event workspace from a package the person picks, at a new file they name, and
/// opens it (`None`: cancelled).
#[tauri::command]
pub async fn open_event_package(app: AppHandle) -> Reply<Option<SessionView>> {
    use tauri_plugin_dialog::DialogExt;
    let picker = app.clone();
    let package = tauri::async_runtime::spawn_blocking(move || {
        picker
            .dialog()
            .file()
            .add_filter("Credence event package", &["zip"])
            .blocking_pick_file()
    })
    .await
    .map_err(|e| AppError::new(ErrorKind::Internal, format!("the task failed: {e}")))?;
    let Some(package) = package.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    let Some(path) = save_as(
        &app,
        "Credence workspace",
        "credence",
        "event.credence".into(),
    )
    .await?
    else {
        return Ok(None);
    };
    let path = if path.extension().is_none() {
        path.with_extension("credence")
    } else {
        path
    };
    let view = with_session(&app, move |s| s.open_event(&package, &path)).await?;
    let _ = app.emit(CHANGED, "session");
    Ok(Some(view))
}

#[tauri::command]
pub async fn batches(app: AppHandle) -> Reply<Vec<Batch>> {
    with_workspace(&app, |ws| ws.batches()).await
}

#[tauri::command]
pub async fn revoke_awards(app: AppHandle, ids: Vec<String>, reason: String) -> Reply<Vec<Award>> {
    change(&app, "awards", move |ws, by| ws.revoke(by, &ids, &reason)).await
}

/// Corrects an award: a new credential for the corrected learner, the old one superseded.
#[tauri::command]
pub async fn correct_award(
    app: AppHandle,
    award: String,
    correction: AwardCorrection,
    reason: String,
) -> Reply<Award> {
    change(&app, "awards", move |ws, by| {
        ws.correct_award(by, &award, &correction, &reason)
    })
    .await
}

/// Renews an award that expires: a new credential under the version in effect, linked to it.
/// `completed_on` (YYYY-MM-DD) is the day the learner qualified again; blank means today.
#[tauri::command]
pub async fn renew_award(app: AppHandle, award: String, completed_on: String) -> Reply<Award> {
    change(&app, "awards", move |ws, by| {
        ws.renew_award(by, &award, Some(&completed_on))
    })
    .await
}

/// Imports Open Badges 2.0 assertions: `files` the assertions (and any issuer key and badge
/// classes), `learners` the text of a `name,email` CSV, `map` badge (id or name) to slug,
/// `archive_unmatched` whether a badge with no microcredential becomes an archived one.
#[tauri::command]
pub async fn import_ob2(
    app: AppHandle,
    files: Vec<FileData>,
    learners: String,
    map: Vec<(String, String)>,
    archive_unmatched: bool,
) -> Reply<Ob2ImportReport> {
    let files = decode_all("files", files)?;
    change(&app, "awards", move |ws, by| {
        ws.import_ob2(by, &files, &learners, &map, archive_unmatched)
    })
    .await
}

/// Claims of prior learning, with what the person signed in may do.
#[tauri::command]
pub async fn prior_learning(app: AppHandle) -> Reply<PriorLearningState> {
    with_workspace(&app, |ws| ws.prior_learning(ws.acting_id()?)).await
}

#[tauri::command]
pub async fn open_prior_learning(
    app: AppHandle,
    input: ClaimInput,
    files: Vec<FileData>,
) -> Reply<PriorLearningClaim> {
    let files = decode_all("evidence", files)?;
    change(&app, "prior_learning", move |ws, by| {
        ws.open_prior_learning(by, &input, &files)
    })
    .await
}

#[tauri::command]
pub async fn add_prior_learning_evidence(
    app: AppHandle,
    id: Id,
    files: Vec<FileData>,
) -> Reply<PriorLearningClaim> {
    let files = decode_all("evidence", files)?;
    change(&app, "prior_learning", move |ws, by| {
        ws.add_prior_learning_evidence(by, id, &files)
    })
    .await
}

/// Opens a read-only copy of a claim's evidence file in the system's viewer.
#[tauri::command]
pub async fn open_prior_learning_evidence(app: AppHandle, id: Id, sha256: String) -> Reply<()> {
    let dir = cache_folder(&app, "evidence")?;
    let path = with_workspace(&app, move |ws| {
        ws.prior_learning_evidence_copy(id, &sha256, &dir)
    })
    .await?;
    open_in_viewer(&app, &path)
}

/// An assessor's signed decision on a claim.
#[tauri::command]
pub async fn assess_prior_learning(
    app: AppHandle,
    id: Id,
    assessment: Assessment,
    passphrase: Passphrase,
) -> Reply<PriorLearningClaim> {
    change(&app, "prior_learning", move |ws, by| {
        ws.assess_prior_learning(by, id, &assessment, &passphrase)
    })
    .await
}

#[tauri::command]
pub async fn award_prior_learning(app: AppHandle, id: Id) -> Reply<Award> {
    change(&app, "awards", move |ws, by| {
        ws.award_prior_learning(by, id)
    })
    .await
}

/// `data` is the text of a CSV listing the awards (ids or emails).
#[tauri::command]
pub async fn revoke_awards_listed(
    app: AppHandle,
    data: String,
    reason: String,
) -> Reply<Vec<Award>> {
    change(&app, "awards", move |ws, by| {
        ws.revoke_listed(by, &data, &reason)
    })
    .await
}

#[tauri::command]
pub async fn reinstate_awards(
    app: AppHandle,
    ids: Vec<String>,
    reason: String,
) -> Reply<Vec<Award>> {
    change(&app, "awards", move |ws, by| {
        ws.reinstate(by, &ids, &reason)
    })
    .await
}

/// Asks for a folder (the system's dialog) and writes there what `f` returns, as
/// (file name, bytes). Returns the folder, or `None` when the person cancelled.
async fn save_into_folder(
    app: &AppHandle,
    f: impl FnOnce(&Workspace) -> Reply<Vec<(String, Vec<u8>)>> + Send + 'static,
) -> Reply<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let files = with_workspace(app, f).await?;
    let app = app.clone();
    let picked =
        tauri::async_runtime::spawn_blocking(move || app.dialog().file().blocking_pick_folder())
            .await
            .map_err(|e| AppError::new(ErrorKind::Internal, format!("the task failed: {e}")))?;
    let Some(dir) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    for (name, bytes) in files {
        let path = dir.join(&name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| AppError::field("folder", format!("{}: {e}", parent.display())))?;
        }
        credence_app::kernel::exports::write_whole(&path, &bytes)
            .map_err(|e| AppError::field("folder", format!("{}: {e}", path.display())))?;
    }
    Ok(Some(dir.display().to_string()))
}

/// Saves the files of every award a batch's roster holds (issued by it or before) into the
/// folder the person picks, as `credence issue` writes them: a folder per award, written a
/// chunk at a time (memory stays flat however long the roster), and `manifest.csv`.
#[tauri::command]
pub async fn save_batch_files(app: AppHandle, id: String) -> Reply<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let picker = app.clone();
    let picked =
        tauri::async_runtime::spawn_blocking(move || picker.dialog().file().blocking_pick_folder())
            .await
            .map_err(|e| AppError::new(ErrorKind::Internal, format!("the task failed: {e}")))?;
    let Some(dir) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    with_workspace(&app, move |ws| {
        ws.save_batch_files(&id, &dir, &AwardFormat::BUNDLE)?;
        Ok(Some(dir.display().to_string()))
    })
    .await
}

/// Saves each award's credential.json, badge.png, badge.svg and certificate.pdf (unless
/// revoked) into a folder of its id, in the folder the person picks.
#[tauri::command]
pub async fn save_award_files(app: AppHandle, ids: Vec<String>) -> Reply<Option<String>> {
    save_into_folder(&app, move |ws| {
        let mut writer = ws.award_writer(&AwardFormat::ALL)?;
        let mut out = Vec::new();
        for id in &ids {
            let award = ws.award(id)?;
            for file in writer.files(&award)? {
                out.push((format!("{}/{}", award.id, file.name), file.bytes));
            }
        }
        Ok(out)
    })
    .await
}

/// Saves every status list, signed, as `<n>.json` (needs the keys unlocked).
#[tauri::command]
pub async fn export_status_lists(app: AppHandle) -> Reply<Option<String>> {
    save_into_folder(&app, |ws| {
        ws.status_list_credentials()?
            .into_iter()
            .map(|(name, c)| {
                serde_json::to_vec_pretty(&c)
                    .map(|b| (name, b))
                    .map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))
            })
            .collect()
    })
    .await
}

/// Saves the current issuer key's DID document as `did.json`.
#[tauri::command]
pub async fn export_did_document(app: AppHandle) -> Reply<Option<String>> {
    save_into_folder(&app, |ws| {
        let doc = ws.issuer_did_document()?;
        let bytes = serde_json::to_vec_pretty(&doc)
            .map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
        Ok(vec![("did.json".into(), bytes)])
    })
    .await
}

/// Signs a receipt of the audit log's head with the acting person's key and saves it as
/// `audit-receipt-<entry>.json` in the folder the person picks.
#[tauri::command]
pub async fn save_audit_receipt(app: AppHandle, passphrase: Passphrase) -> Reply<Option<String>> {
    save_into_folder(&app, move |ws| {
        let receipt = ws.audit_receipt(ws.acting_id()?, &passphrase)?;
        let name = format!("audit-receipt-{}.json", receipt.statement.content["seq"]);
        let bytes = serde_json::to_vec_pretty(&receipt)
            .map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
        Ok(vec![(name, bytes)])
    })
    .await
}

/// Checks a receipt file the person chose against this workspace's audit log.
#[tauri::command]
pub async fn check_audit_receipt(app: AppHandle, file: FileData) -> Reply<ReceiptCheck> {
    let file = decode("receipt", file)?;
    with_workspace(&app, move |ws| {
        let text = String::from_utf8(file.bytes)
            .map_err(|_| AppError::field("receipt", format!("{} is not text", file.name)))?;
        ws.check_receipt(&text)
    })
    .await
}

/// Verifies a file's bytes (base64) against this workspace's own status lists.
#[tauri::command]
pub async fn verify_credential_file(app: AppHandle, file: FileData) -> Reply<VerificationView> {
    let name = file.name.clone();
    let file = decode("file", file)?;
    with_workspace(&app, move |ws| {
        Ok(VerificationView::new(
            &name,
            &ws.verify_credential(&file.bytes),
        ))
    })
    .await
}

/// Verifies a file dropped on the window (its path, as the drop event gives it).
#[tauri::command]
pub async fn verify_dropped_file(app: AppHandle, path: String) -> Reply<VerificationView> {
    let dropped = app.clone();
    with_workspace(&app, move |ws| {
        let p = std::path::Path::new(&path);
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.clone());
        let was_dropped = dropped
            .state::<credence_app::issuing::verification::DroppedFiles>()
            .take(p, std::time::Duration::from_secs(2));
        if !was_dropped {
            return Err(AppError::forbidden(format!(
                "{name} was not dropped on the window; only a file dropped or chosen is read"
            )));
        }
        let meta =
            std::fs::metadata(p).map_err(|e| AppError::field("file", format!("{name}: {e}")))?;
        if meta.len() > credence_app::issuing::verification::MAX_FILE_BYTES {
            return Err(AppError::field(
                "file",
                format!(
                    "{name} is {} MB; a credential file is at most 20 MB",
                    meta.len() / (1024 * 1024)
                ),
            ));
        }
        let bytes =
            std::fs::read(p).map_err(|e| AppError::field("file", format!("{name}: {e}")))?;
        Ok(VerificationView::new(&name, &ws.verify_credential(&bytes)))
    })
    .await
}

#[tauri::command]
pub async fn microcredential_list(app: AppHandle) -> Reply<Vec<MicrocredentialSummary>> {
    with_workspace(&app, |ws| ws.microcredential_list()).await
}

#[tauri::command]
pub async fn microcredential(app: AppHandle, slug: String) -> Reply<MicrocredentialView> {
    with_workspace(&app, move |ws| ws.microcredential(ws.acting_id()?, &slug)).await
}

#[tauri::command]
pub async fn suspend_microcredential(
    app: AppHandle,
    slug: String,
    reason: String,
) -> Reply<MicrocredentialView> {
    change(&app, "microcredentials", move |ws, by| {
        ws.suspend(by, &slug, &reason)
    })
    .await
}

#[tauri::command]
pub async fn resume_microcredential(app: AppHandle, slug: String) -> Reply<MicrocredentialView> {
    change(&app, "microcredentials", move |ws, by| ws.resume(by, &slug)).await
}

#[tauri::command]
pub async fn record_review_outcome(
    app: AppHandle,
    slug: String,
    note: String,
    outcome: ReviewOutcome,
) -> Reply<ReviewRecorded> {
    change(&app, "microcredentials", move |ws, by| {
        ws.record_review_outcome(by, &slug, &note, &outcome)
    })
    .await
}

#[tauri::command]
pub async fn report(app: AppHandle) -> Reply<credence_app::documents::reports::Report> {
    with_workspace(&app, |ws| ws.report()).await
}

/// Saves the report as CSV files, one per table (what `credence report --csv DIR` writes),
/// into a folder the person chooses.
#[tauri::command]
pub async fn export_report_csv(app: AppHandle) -> Reply<Option<String>> {
    save_into_folder(&app, |ws| {
        Ok(ws
            .report_csv()?
            .into_iter()
            .map(|(name, text)| (name, text.into_bytes()))
            .collect())
    })
    .await
}

/// Saves the public catalog website (what `credence catalog export --out DIR` writes) into a
/// folder the person chooses.
#[tauri::command]
pub async fn export_catalog(app: AppHandle) -> Reply<Option<String>> {
    save_into_folder(&app, |ws| {
        Ok(ws
            .catalog_site()?
            .files
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect())
    })
    .await
}

#[tauri::command]
pub async fn end_teach_out(app: AppHandle, slug: String) -> Reply<MicrocredentialView> {
    change(&app, "microcredentials", move |ws, by| {
        ws.end_teach_out(by, &slug)
    })
    .await
}

#[tauri::command]
pub async fn start_change(app: AppHandle, slug: String) -> Reply<ChangeView> {
    change(&app, "proposals", move |ws, by| ws.start_change(by, &slug)).await
}

#[tauri::command]
pub async fn change_request(app: AppHandle, case_id: Id) -> Reply<ChangeView> {
    with_workspace(&app, move |ws| ws.change_request(ws.acting_id()?, case_id)).await
}

#[tauri::command]
pub async fn set_change_details(
    app: AppHandle,
    case_id: Id,
    details: ChangeDetails,
) -> Reply<ChangeView> {
    change(&app, "proposals", move |ws, by| {
        ws.set_change_details(by, case_id, &details)
    })
    .await
}

#[tauri::command]
pub async fn set_change_level(
    app: AppHandle,
    case_id: Id,
    level: ChangeLevel,
    reason: Option<String>,
) -> Reply<ChangeView> {
    change(&app, "proposals", move |ws, by| {
        ws.set_change_level(by, case_id, level, reason.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn termination_impact(app: AppHandle, slug: String) -> Reply<TerminationImpact> {
    with_workspace(&app, move |ws| ws.termination_impact(&slug)).await
}

#[tauri::command]
pub async fn request_termination(
    app: AppHandle,
    slug: String,
    details: TerminationDetails,
) -> Reply<TerminationView> {
    change(&app, "proposals", move |ws, by| {
        ws.request_termination(by, &slug, &details)
    })
    .await
}

#[tauri::command]
pub async fn termination_request(app: AppHandle, case_id: Id) -> Reply<TerminationView> {
    with_workspace(&app, move |ws| ws.termination_request(case_id)).await
}

#[tauri::command]
pub async fn calendar(app: AppHandle) -> Reply<Vec<AcademicTerm>> {
    with_workspace(&app, |ws| ws.calendar()).await
}

#[tauri::command]
pub async fn set_calendar(app: AppHandle, terms: Vec<AcademicTerm>) -> Reply<Vec<AcademicTerm>> {
    change(&app, "calendar", move |ws, by| ws.set_calendar(by, &terms)).await
}

/// What changed in a proposal: the draft being revised against its last version, else the
/// last version against the one before.
#[tauri::command]
pub async fn proposal_diff(app: AppHandle, id: Id) -> Reply<VersionDiff> {
    with_workspace(&app, move |ws| ws.proposal_diff(id, None, None)).await
}
