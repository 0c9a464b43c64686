import { useEffect, useState } from "react";
import { Alert, Badge, Button, Card, Group, List, Select, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, asAppError, fieldError, keys } from "../api";
import type { ChangeLevel } from "../bindings/ChangeLevel";
import type { TerminationImpact } from "../bindings/TerminationImpact";
import { levelLabels, Redline } from "./ChangesPanel";

/** A change request: the version it changes, what it changes (a redline against that
 * version), the level it goes forward at, and why, from which term and how learners are
 * told. The backend says who may edit the details and who may set the level. */
export function ChangeRequestPanel({ caseId }: { caseId: number }) {
  const client = useQueryClient();
  const view = useQuery({ queryKey: keys.changeRequest(caseId), queryFn: () => api.changeRequest(caseId) });
  const calendar = useQuery({ queryKey: keys.calendar, queryFn: api.calendar });
  const [rationale, setRationale] = useState("");
  const [term, setTerm] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const [level, setLevel] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const c = view.data;
  useEffect(() => {
    if (!c) return;
    setRationale(c.details.rationale);
    setTerm(c.details.effective_term);
    setNotice(c.details.learner_notice);
  }, [c?.case_id, c?.details.rationale, c?.details.effective_term, c?.details.learner_notice]);
  const refresh = () => void client.invalidateQueries({ queryKey: ["proposals"] });
  const save = useMutation({
    mutationFn: () => api.setChangeDetails(caseId, { rationale, effective_term: term, learner_notice: notice }),
    onSuccess: refresh,
  });
  const setLevelNow = useMutation({
    mutationFn: () => api.setChangeLevel(caseId, (level ?? "major") as ChangeLevel, reason.trim() || null),
    onSuccess: () => {
      setReason("");
      refresh();
    },
  });
  if (!c) return null;
  const today = new Date().toISOString().slice(0, 10);
  const terms = (calendar.data ?? []).filter((t) => t.ends_on >= today).map((t) => ({ value: t.code, label: `${t.name} (from ${t.starts_on})` }));
  return (
    <Card withBorder padding="md" data-testid="change-request">
      <Stack gap="sm">
        <Group justify="space-between">
          <Text fw={600}>
            Change request: {c.microcredential} version {c.base_version} to version {c.next_version}
          </Text>
          <Badge color={c.level === "minor" ? "gray.8" : c.level === null ? "gray.7" : "red.9"} tt="none" data-testid="change-request-level">
            {c.level === null ? "Nothing changed yet" : levelLabels[c.level]}
            {c.level_set !== null ? " (set by a coordinator)" : ""}
          </Badge>
        </Group>
        {c.level_reason && (
          <Text size="sm" c="dimmed">
            Lowered because: {c.level_reason}
          </Text>
        )}
        {c.diff.level === null ? (
          <Text size="sm" c="dimmed">
            Edit the fields below: what differs from version {c.base_version} shows here, field by field.
          </Text>
        ) : (
          <div data-testid="change-redline">
            <Redline diff={c.diff} title={`Against version ${c.base_version}`} />
          </div>
        )}
        {c.due_on && (
          <Text size="sm" fw={600} data-testid="change-due">
            Required by the periodic review: due by {c.due_on}
          </Text>
        )}
        <Textarea label="Why the change is needed" autosize minRows={2} disabled={!c.may_edit} value={rationale} onChange={(e) => setRationale(e.currentTarget.value)} error={fieldError(save.error, "rationale")} data-testid="change-rationale" />
        <Group grow align="flex-start">
          <Select label="Effective term" placeholder="Choose a term" disabled={!c.may_edit} data={terms} value={term} onChange={setTerm} error={fieldError(save.error, "effective_term")} data-testid="change-term" />
          <Textarea label="How learners already enrolled are told" autosize minRows={1} disabled={!c.may_edit} value={notice} onChange={(e) => setNotice(e.currentTarget.value)} error={fieldError(save.error, "learner_notice")} data-testid="change-notice" />
        </Group>
        {c.effective_from && (
          <Text size="sm" c="dimmed">
            Once approved, version {c.next_version} takes effect on {c.effective_from}; until then awards use version {c.base_version}.
          </Text>
        )}
        {c.may_edit && (
          <Group justify="flex-end">
            {save.isSuccess && !save.isPending && (
              <Text size="sm" c="dimmed">
                Saved
              </Text>
            )}
            <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="save-change-details">
              Save the change's details
            </Button>
          </Group>
        )}
        {save.error && !fieldError(save.error, "rationale", "effective_term", "learner_notice") && <Alert color="red">{asAppError(save.error).message}</Alert>}
        {c.may_set_level && (
          <Group align="flex-end">
            <Select
              label="Level (coordinator)"
              data={[
                { value: "minor", label: "Minor: coordinator approval" },
                { value: "major", label: "Major: the full route" },
              ]}
              value={level}
              onChange={setLevel}
              w={230}
            />
            <TextInput label="Reason (needed to lower it)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(setLevelNow.error, "reason")} style={{ flex: 1 }} />
            <Button variant="default" disabled={level === null} onClick={() => setLevelNow.mutate()} loading={setLevelNow.isPending}>
              Set level
            </Button>
          </Group>
        )}
        {setLevelNow.error && !fieldError(setLevelNow.error, "reason") && <Alert color="red">{asAppError(setLevelNow.error).message}</Alert>}
      </Stack>
    </Card>
  );
}

/** What ending a microcredential touches, as the backend computed it. */
export function ImpactList({ impact: i, testid }: { impact: TerminationImpact; testid?: string }) {
  return (
    <List size="sm" data-testid={testid}>
      <List.Item>
        {i.awards} {i.awards === 1 ? "award" : "awards"} issued (all stay valid; {i.revoked} revoked), {i.recent_awards} in the last 90 days
        {i.last_awarded_on ? `, the last on ${i.last_awarded_on}` : ""}
      </List.Item>
      <List.Item>{i.pathways.length ? `In the pathways ${i.pathways.join(", ")}` : "In no pathway"}</List.Item>
      {i.open_cases.map((c) => (
        <List.Item key={c}>Open: {c}</List.Item>
      ))}
    </List>
  );
}

/** A termination request: why, the dates, and the impact Credence computed when it was made. */
export function TerminationPanel({ caseId }: { caseId: number }) {
  const view = useQuery({ queryKey: keys.terminationRequest(caseId), queryFn: () => api.terminationRequest(caseId) });
  const t = view.data;
  if (!t) return null;
  const i = t.impact;
  return (
    <Card withBorder padding="md" data-testid="termination-request">
      <Stack gap="xs">
        <Text fw={600}>Termination request: {t.microcredential}</Text>
        <Text size="sm">Reason: {t.details.reason}</Text>
        <Text size="sm">
          {t.details.last_intake_on ? `Last intake ${t.details.last_intake_on}; ` : ""}
          awards allowed until {t.details.teach_out_until} (teach-out), retired from the day after.
        </Text>
        <Text size="sm" fw={600}>
          Impact when requested
        </Text>
        <ImpactList impact={i} />
      </Stack>
    </Card>
  );
}
