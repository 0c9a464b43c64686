// Typed calls to the Rust backend. Every type here is generated from Rust (src/bindings);
// the backend validates and decides, this file only carries requests and answers.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { Ob2ImportReport } from "./bindings/Ob2ImportReport";
import type { Assessment } from "./bindings/Assessment";
import type { ClaimInput } from "./bindings/ClaimInput";
import type { PriorLearningClaim } from "./bindings/PriorLearningClaim";
import type { PriorLearningState } from "./bindings/PriorLearningState";
import type { Batch } from "./bindings/Batch";
import type { EventView } from "./bindings/EventView";
import type { EventExported } from "./bindings/EventExported";
import type { EventFinished } from "./bindings/EventFinished";
import type { MergeReport } from "./bindings/MergeReport";
import type { RosterPreview } from "./bindings/RosterPreview";
import type { Report } from "./bindings/Report";
import type { ReviewOutcome } from "./bindings/ReviewOutcome";
import type { ReviewRecorded } from "./bindings/ReviewRecorded";
import type { ChangeDetails } from "./bindings/ChangeDetails";
import type { ChangeLevel } from "./bindings/ChangeLevel";
import type { ChangeView } from "./bindings/ChangeView";
import type { TerminationDetails } from "./bindings/TerminationDetails";
import type { TerminationImpact } from "./bindings/TerminationImpact";
import type { TerminationView } from "./bindings/TerminationView";
import type { ReceiptCheck } from "./bindings/ReceiptCheck";
import type { SigningKeys } from "./bindings/SigningKeys";
import type { SignInOption } from "./bindings/SignInOption";
import type { IdleLock } from "./bindings/IdleLock";
import type { AcademicTerm } from "./bindings/AcademicTerm";
import type { VersionDiff } from "./bindings/VersionDiff";
import type { MicrocredentialSummary } from "./bindings/MicrocredentialSummary";
import type { MicrocredentialView } from "./bindings/MicrocredentialView";
import type { Enrolment } from "./bindings/Enrolment";
import type { PersonAdded } from "./bindings/PersonAdded";
import type { AppError } from "./bindings/AppError";
import type { AuditEntry } from "./bindings/AuditEntry";
import type { AuditQuery } from "./bindings/AuditQuery";
import type { ChainReport } from "./bindings/ChainReport";
import type { Country } from "./bindings/Country";
import type { Language } from "./bindings/Language";
import type { Institution } from "./bindings/Institution";
import type { InstitutionInput } from "./bindings/InstitutionInput";
import type { Person } from "./bindings/Person";
import type { PersonInput } from "./bindings/PersonInput";
import type { SessionView } from "./bindings/SessionView";
import type { SetupInput } from "./bindings/SetupInput";
import type { Unit } from "./bindings/Unit";
import type { UnitInput } from "./bindings/UnitInput";
import type { Taxonomy } from "./bindings/Taxonomy";
import type { PolicySet } from "./bindings/PolicySet";
import type { Pathway } from "./bindings/Pathway";
import type { Term } from "./bindings/Term";
import type { BadgePreview } from "./bindings/BadgePreview";
import type { BadgeUploadView } from "./bindings/BadgeUploadView";
import type { Inbox } from "./bindings/Inbox";
import type { ReviewView } from "./bindings/ReviewView";
import type { ServiceClock } from "./bindings/ServiceClock";
import type { MemberView } from "./bindings/MemberView";
import type { QueuedProposal } from "./bindings/QueuedProposal";
import type { Membership } from "./bindings/Membership";
import type { VotingRules } from "./bindings/VotingRules";
import type { MeetingView } from "./bindings/MeetingView";
import type { Decision } from "./bindings/Decision";
import type { VoteChoice } from "./bindings/VoteChoice";
import type { Deliberation } from "./bindings/Deliberation";
import type { ReviewerRole } from "./bindings/ReviewerRole";
import type { Score } from "./bindings/Score";
import type { Visibility } from "./bindings/Visibility";
import type { Route } from "./bindings/Route";
import type { DocumentKind } from "./bindings/DocumentKind";
import type { Rubric } from "./bindings/Rubric";
import type { ProposalPage } from "./bindings/ProposalPage";
import type { ProposalQuery } from "./bindings/ProposalQuery";
import type { ProposalView } from "./bindings/ProposalView";
import type { ProposalContent } from "./bindings/ProposalContent";
import type { ProposalCheck } from "./bindings/ProposalCheck";
import type { ProposalEvent } from "./bindings/ProposalEvent";
import type { IssuerState } from "./bindings/IssuerState";
import type { IssuingSettings } from "./bindings/IssuingSettings";
import type { Microcredential } from "./bindings/Microcredential";
import type { Award } from "./bindings/Award";
import type { AwardCorrection } from "./bindings/AwardCorrection";
import type { LearnerInput } from "./bindings/LearnerInput";
import type { IssueReport } from "./bindings/IssueReport";
import type { VerificationView } from "./bindings/VerificationView";
import type { CertificatePreview } from "./bindings/CertificatePreview";
import type { CertificateTemplates } from "./bindings/CertificateTemplates";
import type { Template } from "./bindings/Template";
import type { TemplateInput } from "./bindings/TemplateInput";

function isAppError(e: unknown): e is AppError {
  return typeof e === "object" && e !== null && "kind" in e && "message" in e && "fields" in e;
}

/** Invokes a command; any failure arrives as an AppError. */
async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    if (isAppError(e)) throw e;
    const error: AppError = { kind: "internal", message: String(e), fields: [] };
    throw error;
  }
}

export function asAppError(e: unknown): AppError {
  return isAppError(e) ? e : { kind: "internal", message: String(e), fields: [] };
}

/** The message for one field, from an error the backend returned. */
export function fieldError(error: unknown, ...fields: string[]): string | undefined {
  if (!isAppError(error)) return undefined;
  return error.fields.find((f) => fields.includes(f.field))?.message;
}

export const api = {
  session: () => call<SessionView>("session"),
  setupWorkspace: ({ input, passphrase }: { input: SetupInput; passphrase: string }) =>
    call<SessionView>("setup_workspace", { input, passphrase }),
  openDemo: () => call<SessionView>("open_demo"),
  connectWorkspace: (input: { url: string; password: string; remember: boolean }) =>
    call<SessionView>("connect_workspace", input),
  setActingPerson: (id: number) => call<Person>("set_acting_person", { id }),
  signInOptions: () => call<SignInOption[]>("sign_in_options"),
  calendar: () => call<AcademicTerm[]>("calendar"),
  proposalDiff: (id: number) => call<VersionDiff>("proposal_diff", { id }),
  setCalendar: (terms: AcademicTerm[]) => call<AcademicTerm[]>("set_calendar", { terms }),
  microcredentialList: () => call<MicrocredentialSummary[]>("microcredential_list"),
  microcredential: (slug: string) => call<MicrocredentialView>("microcredential", { slug }),
  suspendMicrocredential: (slug: string, reason: string) =>
    call<MicrocredentialView>("suspend_microcredential", { slug, reason }),
  resumeMicrocredential: (slug: string) => call<MicrocredentialView>("resume_microcredential", { slug }),
  recordReviewOutcome: (slug: string, note: string, outcome: ReviewOutcome) =>
    call<ReviewRecorded>("record_review_outcome", { slug, note, outcome }),
  report: () => call<Report>("report"),
  endTeachOut: (slug: string) => call<MicrocredentialView>("end_teach_out", { slug }),
  startChange: (slug: string) => call<ChangeView>("start_change", { slug }),
  changeRequest: (caseId: number) => call<ChangeView>("change_request", { caseId }),
  setChangeDetails: (caseId: number, details: ChangeDetails) => call<ChangeView>("set_change_details", { caseId, details }),
  setChangeLevel: (caseId: number, level: ChangeLevel, reason: string | null) =>
    call<ChangeView>("set_change_level", { caseId, level, reason }),
  terminationImpact: (slug: string) => call<TerminationImpact>("termination_impact", { slug }),
  requestTermination: (slug: string, details: TerminationDetails) => call<TerminationView>("request_termination", { slug, details }),
  terminationRequest: (caseId: number) => call<TerminationView>("termination_request", { caseId }),
  signIn: (person: number, passphrase: string) => call<Person>("sign_in", { person, passphrase }),
  signOut: () => call<null>("sign_out"),
  enrol: (person: number, code: string, passphrase: string) => call<Person>("enrol", { person, code, passphrase }),
  touchSession: () => call<null>("touch_session"),
  newEnrolment: (person: number) => call<Enrolment>("new_enrolment", { person }),
  idleLock: () => call<IdleLock>("idle_lock_minutes"),
  setIdleLockMinutes: (minutes: number) => call<number>("set_idle_lock_minutes", { minutes }),
  countries: () => call<Country[]>("countries"),
  languages: () => call<Language[]>("languages"),
  /** `seen`: the profile as the form read it; a change another seat made since is refused. */
  updateInstitution: (input: InstitutionInput, seen: Institution | null) =>
    call<Institution>("update_institution", { input, seen }),
  setLogo: (data: string) => call<Institution>("set_logo", { data }),
  removeLogo: () => call<Institution>("remove_logo"),
  institutionLogo: () => call<string | null>("institution_logo"),
  listUnits: () => call<Unit[]>("list_units"),
  createUnit: (input: UnitInput) => call<Unit>("create_unit", { input }),
  /** `seen`: the unit as the form read it; a change another seat made since is refused. */
  updateUnit: (id: number, input: UnitInput, seen: Unit | null) =>
    call<Unit>("update_unit", { id, input, seen }),
  listPeople: () => call<Person[]>("list_people"),
  createPerson: (input: PersonInput) => call<PersonAdded>("create_person", { input }),
  /** `seen`: the person as the form read them; a change another seat made since is refused. */
  updatePerson: (id: number, input: PersonInput, seen: Person | null) =>
    call<Person>("update_person", { id, input, seen }),
  auditEntries: (query: AuditQuery) => call<AuditEntry[]>("audit_entries", { query }),
  verifyAudit: () => call<ChainReport>("verify_audit"),
  taxonomy: () => call<Taxonomy>("taxonomy"),
  policy: () => call<PolicySet>("policy"),
  pathways: () => call<Pathway[]>("pathways"),
  listProposals: (query: ProposalQuery) => call<ProposalPage>("list_proposals", { query }),
  getProposal: (id: number) => call<ProposalView>("get_proposal", { id }),
  proposalVersion: (id: number, version: number) => call<ProposalContent>("proposal_version", { id, version }),
  checkProposal: (id: number | null, content: ProposalContent) => call<ProposalCheck>("check_proposal", { id, content }),
  createProposal: (title: string) => call<ProposalView>("create_proposal", { title }),
  /** `base`: the `updated_at` of the draft the form holds (a draft saved since by someone
   * else is not overwritten: a conflict naming who and when). */
  saveDraft: (id: number, content: ProposalContent, base: string | null) =>
    call<ProposalView>("save_draft", { id, content, base }),
  moveProposal: (id: number, event: ProposalEvent) => call<ProposalView>("move_proposal", { id, event }),
  putTerm: (term: Term) => call<Term>("put_term", { term }),
  importSkills: (framework: string, csv: string) => call<number>("import_skills", { framework, csv }),
  /** `seen`: the policies as the page read them; a change another seat made since is refused. */
  setPolicy: (policy: PolicySet, seen: PolicySet | null) => call<PolicySet>("set_policy", { policy, seen }),
  putPathway: (pathway: Pathway) => call<Pathway>("put_pathway", { pathway }),
  badgePreview: (content: ProposalContent) => call<BadgePreview>("badge_preview", { content }),
  attachFiles: (id: number, files: FileData[]) => call<ProposalView>("attach_files", { id, files }),
  detachFile: (id: number, sha256: string) => call<ProposalView>("detach_file", { id, sha256 }),
  openAttachment: (id: number, sha256: string) => call<null>("open_attachment", { id, sha256 }),
  setCustomBadge: (id: number, file: FileData) => call<BadgeUploadView>("set_custom_badge", { id, file }),
  clearCustomBadge: (id: number) => call<ProposalView>("clear_custom_badge", { id }),
  attachmentLimit: () => call<number>("attachment_limit"),
  setAttachmentLimit: (maxBytes: number) => call<number>("set_attachment_limit", { maxBytes }),
  inbox: () => call<Inbox>("inbox"),
  review: (id: number) => call<ReviewView>("review", { id }),
  serviceClock: () => call<ServiceClock>("service_clock"),
  committee: () => call<MemberView[]>("committee"),
  committeeQueue: () => call<QueuedProposal[]>("committee_queue"),
  addMember: (membership: Membership) => call<MemberView>("add_member", { membership }),
  votingRules: () => call<VotingRules>("voting_rules"),
  setVotingRules: (rules: VotingRules) => call<VotingRules>("set_voting_rules", { rules }),
  issuerState: () => call<IssuerState>("issuer_state"),
  unlockIssuer: (passphrase: string) => call<IssuerState>("unlock_issuer", { passphrase }),
  lockIssuer: () => call<IssuerState>("lock_issuer"),
  rotateIssuerKey: (passphrase: string, newPassphrase: string | null) => call<IssuerState>("rotate_issuer_key", { passphrase, newPassphrase }),
  setIssuingSettings: (input: IssuingSettings) => call<IssuerState>("set_issuing_settings", { input }),
  microcredentials: () => call<Microcredential[]>("microcredentials"),
  awards: (search: string) => call<Award[]>("awards", { search }),
  issueCredential: (microcredential: string, learner: LearnerInput) => call<IssueReport>("issue_credential", { microcredential, learner }),
  rosterPreview: (file: FileData, mapping: [string, string][] | null) => call<RosterPreview>("roster_preview", { file, mapping }),
  startBatch: (microcredential: string, file: FileData, mapping: [string, string][]) => call<Batch>("start_batch", { microcredential, file, mapping }),
  /** Runs a batch to its end or until cancelled; `onProgress` hears it after each chunk. */
  runBatch: (id: string, onProgress: (batch: Batch) => void) => {
    const channel = new Channel<Batch>();
    channel.onmessage = onProgress;
    return call<Batch>("run_batch", { id, onProgress: channel });
  },
  cancelBatch: (id: string) => call<Batch>("cancel_batch", { id }),
  closeBatch: (id: string) => call<Batch>("close_batch", { id }),
  batches: () => call<Batch[]>("batches"),
  events: () => call<EventView[]>("events"),
  heldEvent: () => call<EventView | null>("held_event"),
  exportEvent: (microcredentials: string[], name: string, issuerPassphrase: string, eventPassphrase: string) =>
    call<EventExported | null>("export_event", { microcredentials, name, issuerPassphrase, eventPassphrase }),
  finishEvent: (passphrase: string) => call<EventFinished | null>("finish_event", { passphrase }),
  mergeEvent: (file: FileData) => call<MergeReport>("merge_event", { file }),
  openEventPackage: () => call<SessionView | null>("open_event_package"),
  saveBatchFiles: (id: string) => call<string | null>("save_batch_files", { id }),
  saveBatchPlatformCsv: (id: string, platform: string, badgeId: string) => call<string | null>("save_batch_platform_csv", { id, platform, badgeId }),
  revokeAwards: (ids: string[], reason: string) => call<Award[]>("revoke_awards", { ids, reason }),
  revokeAwardsListed: (data: string, reason: string) => call<Award[]>("revoke_awards_listed", { data, reason }),
  correctAward: (award: string, correction: AwardCorrection, reason: string) => call<Award>("correct_award", { award, correction, reason }),
  renewAward: (award: string, completedOn: string) => call<Award>("renew_award", { award, completedOn }),
  priorLearning: () => call<PriorLearningState>("prior_learning"),
  importOb2: (files: FileData[], learners: string, map: [string, string][], archiveUnmatched: boolean) =>
    call<Ob2ImportReport>("import_ob2", { files, learners, map, archiveUnmatched }),
  openPriorLearning: (input: ClaimInput, files: FileData[]) => call<PriorLearningClaim>("open_prior_learning", { input, files }),
  addPriorLearningEvidence: (id: number, files: FileData[]) => call<PriorLearningClaim>("add_prior_learning_evidence", { id, files }),
  openPriorLearningEvidence: (id: number, sha256: string) => call<null>("open_prior_learning_evidence", { id, sha256 }),
  assessPriorLearning: (id: number, assessment: Assessment, passphrase: string) => call<PriorLearningClaim>("assess_prior_learning", { id, assessment, passphrase }),
  awardPriorLearning: (id: number) => call<Award>("award_prior_learning", { id }),
  reinstateAwards: (ids: string[], reason: string) => call<Award[]>("reinstate_awards", { ids, reason }),
  saveAwardFiles: (ids: string[]) => call<string | null>("save_award_files", { ids }),
  exportStatusLists: () => call<string | null>("export_status_lists"),
  exportReportCsv: () => call<string | null>("export_report_csv"),
  exportCatalog: () => call<string | null>("export_catalog"),
  exportDidDocument: () => call<string | null>("export_did_document"),
  saveAuditReceipt: (passphrase: string) => call<string | null>("save_audit_receipt", { passphrase }),
  checkAuditReceipt: (file: FileData) => call<ReceiptCheck>("check_audit_receipt", { file }),
  verifyCredentialFile: (file: FileData) => call<VerificationView>("verify_credential_file", { file }),
  verifyDroppedFile: (path: string) => call<VerificationView>("verify_dropped_file", { path }),
  createSigningKey: (passphrase: string) => call<string>("create_signing_key", { passphrase }),
  renewSigningKey: (passphrase: string, newPassphrase: string) => call<string>("renew_signing_key", { passphrase, newPassphrase }),
  signingKeys: () => call<SigningKeys>("signing_keys"),
  resetSigningKey: (person: number, reason: string, passphrase: string) => call<Enrolment>("reset_signing_key", { person, reason, passphrase }),
  signOff: (id: number, approve: boolean, comment: string, passphrase: string) => call<ReviewView>("sign_off", { id, approve, comment, passphrase }),
  declareConflict: (id: number, reason: string) => call<null>("declare_conflict", { id, reason }),
  meetCondition: (id: number, note: string, passphrase: string) => call<ReviewView>("meet_condition", { id, note, passphrase }),
  meetings: () => call<MeetingView[]>("meetings"),
  meeting: (id: number) => call<MeetingView>("meeting", { id }),
  scheduleMeeting: (title: string, heldOn: string) => call<MeetingView>("schedule_meeting", { title, heldOn }),
  setAgenda: (id: number, proposals: number[]) => call<MeetingView>("set_agenda", { id, proposals }),
  recordAttendance: (id: number, present: number[]) => call<MeetingView>("record_attendance", { id, present }),
  moveMotion: (id: number, proposal: number, decision: Decision, movedBy: number, secondedBy: number) =>
    call<MeetingView>("move_motion", { id, proposal, decision, movedBy, secondedBy }),
  castVote: (motion: number, choice: VoteChoice, passphrase: string) => call<MeetingView>("cast_vote", { motion, choice, passphrase }),
  closeMotion: (motion: number, passphrase: string) => call<MeetingView>("close_motion", { motion, passphrase }),
  acknowledgeItem: (id: number, proposal: number) => call<MeetingView>("acknowledge_item", { id, proposal }),
  closeMeeting: (id: number) => call<MeetingView>("close_meeting", { id }),
  openElectronicVote: (proposal: number, decision: Decision, movedBy: number, secondedBy: number, deadline: string) =>
    call<MeetingView>("open_electronic_vote", { proposal, decision, movedBy, secondedBy, deadline }),
  deliberation: (id: number) => call<Deliberation>("deliberation", { id }),
  assignReviewer: (id: number, reviewer: number, role: ReviewerRole) => call<Deliberation>("assign_reviewer", { id, reviewer, role }),
  submitScores: (id: number, scores: Score[]) => call<Deliberation>("submit_scores", { id, scores }),
  addComment: (id: number, field: string, visibility: Visibility, parent: number | null, text: string) =>
    call<Deliberation>("add_comment", { id, field, visibility, parent, text }),
  editComment: (id: number, comment: number, text: string) => call<Deliberation>("edit_comment", { id, comment, text }),
  rubric: () => call<Rubric>("rubric"),
  setRubric: (rubric: Rubric) => call<Rubric>("set_rubric", { rubric }),
  routes: () => call<Route[]>("routes"),
  putRoute: (route: Route) => call<Route>("put_route", { route }),
  openDocument: (kind: DocumentKind, id: number) => call<string>("open_document", { kind, id }),
  openCertificate: (id: string) => call<string>("open_certificate", { id }),
  certificateTemplates: () => call<CertificateTemplates>("certificate_templates"),
  saveCertificateTemplate: (id: number | null, input: TemplateInput) => call<Template>("save_certificate_template", { id, input }),
  deleteCertificateTemplate: (id: number) => call<null>("delete_certificate_template", { id }),
  addSignatureImage: (field: string, file: FileData) => call<string>("add_signature_image", { field, file }),
  signatureImage: (sha: string) => call<string>("signature_image", { sha }),
  previewCertificateTemplate: (input: TemplateInput) => call<CertificatePreview>("preview_certificate_template", { input }),
  previewCertificate: (microcredential: string, learner: LearnerInput) => call<CertificatePreview>("preview_certificate", { microcredential, learner }),
};

/** A file's name and its bytes in base64 (see files.ts). */
export type FileData = { name: string; data: string };

/** Query keys, one per backend list, so a change event can refresh exactly what it touched. */
export const keys = {
  priorLearning: ["prior_learning"] as const,
  session: ["session"] as const,
  signInOptions: ["session", "sign-in-options"] as const,
  lifecycle: ["microcredentials", "life"] as const,
  calendar: ["calendar"] as const,
  proposalDiff: (id: number) => ["proposals", id, "diff"] as const,
  changeRequest: (id: number) => ["proposals", id, "change"] as const,
  terminationRequest: (id: number) => ["proposals", id, "termination"] as const,
  // Drawn from cases, steps and awards: any change may move it.
  report: ["report"] as const,
  terminationImpact: (slug: string) => ["microcredentials", "impact", slug] as const,
  microcredentialView: (slug: string) => ["microcredentials", "life", slug] as const,
  idleLock: ["settings", "idle-lock"] as const,
  countries: ["countries"] as const,
  languages: ["languages"] as const,
  logo: ["logo"] as const,
  units: ["units"] as const,
  people: ["people"] as const,
  signingKeys: ["people", "signing-keys"] as const,
  audit: ["audit"] as const,
  taxonomy: ["taxonomy"] as const,
  policy: ["policy"] as const,
  pathways: ["pathways"] as const,
  proposals: ["proposals"] as const,
  proposal: (id: number) => ["proposals", id] as const,
  attachmentLimit: ["settings", "attachment-limit"] as const,
  inbox: ["inbox"] as const,
  review: (id: number) => ["review", id] as const,
  deliberation: (id: number) => ["review", "deliberation", id] as const,
  committee: ["committee"] as const,
  meetings: ["meetings"] as const,
  meeting: (id: number) => ["meetings", id] as const,
  issuer: ["issuer"] as const,
  microcredentials: ["microcredentials"] as const,
  certificates: ["certificates"] as const,
  awards: (search: string) => ["awards", search] as const,
  batches: ["batches"] as const,
  events: ["event", "list"] as const,
  heldEvent: ["event", "held"] as const,
};
