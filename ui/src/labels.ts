// Display names for the backend's enum values. Wording only: no rules live here.
import type { Role } from "./bindings/Role";
import type { UnitKind } from "./bindings/UnitKind";

export const roleLabels: Record<Role, string> = {
  coordinator: "Coordinator",
  proposer: "Proposer",
  unit_approver: "Unit approver",
  committee_member: "Committee member",
  committee_chair: "Committee chair",
  final_approver: "Final approver",
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
};
