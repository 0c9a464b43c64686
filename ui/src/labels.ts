// Display names for the backend's enum values. Wording only: no rules live here.
import type { CaseKind } from "./bindings/CaseKind";
import type { Role } from "./bindings/Role";
import type { UnitKind } from "./bindings/UnitKind";

export const roleLabels: Record<Role, string> = {
  coordinator: "Coordinator",
  proposer: "Proposer",
  unit_approver: "Unit approver",
  committee_member: "Committee member",
  committee_chair: "Committee chair",
  final_approver: "Final approver",
  issuer: "Issuing staff",
  assessor: "Assessor (prior learning)",
};

export const unitKindLabels: Record<UnitKind, string> = {
  college: "College",
  school: "School",
  department: "Department",
  co_curricular_office: "Co-curricular office",
  administrative_office: "Administrative office",
};

export function options<K extends string>(labels: Record<K, string>) {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}

export const entityLabels: Record<string, string> = {
  institution: "Institution",
  unit: "Unit",
  person: "Person",
  proposal: "Proposal",
  taxonomy: "Taxonomy",
  taxonomy_term: "Taxonomy term",
  skills: "Skills framework",
  policy_set: "Policies",
  pathway: "Pathway",
  person_key: "Signing key of person",
  setting: "Setting",
};

import type { ProposalStatus } from "./bindings/ProposalStatus";

export const caseKindLabels: Record<CaseKind, string> = {
  new: "New microcredential",
  change: "Change request",
  termination: "Termination",
};

export const statusLabels: Record<ProposalStatus, string> = {
  draft: "Draft",
  submitted: "Submitted",
  complete: "In review",
  approved: "Approved",
  active: "Active",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
};

export const statusColours: Record<ProposalStatus, string> = {
  draft: "gray",
  submitted: "blue",
  complete: "teal",
  approved: "lime",
  active: "green",
  rejected: "red",
  withdrawn: "gray",
};

/** Human names of the proposal fields that policy findings and errors name. */
export const proposalFieldLabels: Record<string, string> = {
  title: "Title",
  description: "Description",
  unit_id: "Proposing unit",
  credit_status: "Credit status",
  category: "Category",
  level: "Level",
  academic_level: "Academic level",
  outcomes: "Learning outcomes",
  skills: "Competencies",
  "workload.credits": "Credits",
  "workload.ects": "ECTS",
  "workload.hours": "Hours",
  assessment_types: "Assessment types",
  prerequisites: "Prerequisites",
  delivery_mode: "Delivery mode",
  participation_form: "Form of participation",
  quality_assurance: "Quality assurance",
  review_cycle_years: "Review cycle",
  status: "Status",
  comment: "Comment",
  language: "Language of the texts",
};

/** The human name of a field a finding or error names, translations' fields included
 * (`translations[0].title` is "Other languages: title"). */
export function proposalFieldLabel(field: string): string {
  const name = /^translations\[\d+\]\.(\w+)$/.exec(field)?.[1];
  if (name !== undefined) return `Other languages: ${(proposalFieldLabels[name] ?? name).toLowerCase()}`;
  return proposalFieldLabels[field] ?? field;
}
