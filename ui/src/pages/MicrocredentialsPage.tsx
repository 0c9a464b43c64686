import { useState } from "react";
import { Alert, Anchor, Badge, Button, Card, Group, List, Select, Stack, Table, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useParams } from "react-router";
import { api, asAppError, fieldError, keys } from "../api";
import type { MicrocredentialStatus } from "../bindings/MicrocredentialStatus";
import { caseKindLabels, statusLabels as caseStatusLabels } from "../labels";
import { ImpactList } from "../components/CasePanels";

const statusLabels: Record<MicrocredentialStatus, string> = {
  active: "Active",
  suspended: "Suspended",
  teach_out: "Teach-out",
  retired: "Retired",
};
const statusColours: Record<MicrocredentialStatus, string> = {
  active: "teal.9",
  suspended: "red.9",
  teach_out: "grape.9",
  retired: "gray.8",
};

/** One microcredential's page: its status and why, every version with the case that
 * approved it, its effective date and its awards, the cases about it, the pathways that
 * include it, the periodic review, and the acts the backend allows the person signed in now. */
export function MicrocredentialPage() {
  const { slug } = useParams();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [terminating, setTerminating] = useState(false);
  const view = useQuery({
    queryKey: keys.microcredentialView(slug ?? ""),
    queryFn: () => api.microcredential(slug ?? ""),
    enabled: slug !== undefined,
  });
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const done = () => {
    setReason("");
    setNote("");
    void client.invalidateQueries({ queryKey: ["microcredentials"] });
  };
  const suspend = useMutation({ mutationFn: () => api.suspendMicrocredential(slug ?? "", reason), onSuccess: done });
  const resume = useMutation({ mutationFn: () => api.resumeMicrocredential(slug ?? ""), onSuccess: done });
  const [outcome, setOutcome] = useState<string>("renewed");
  const [sunsetUntil, setSunsetUntil] = useState("");
  const [changeDue, setChangeDue] = useState("");
  const review = useMutation({
    mutationFn: () =>
      api.recordReviewOutcome(
        slug ?? "",
        note,
        outcome === "sunset"
          ? { outcome: "sunset", teach_out_until: sunsetUntil, last_intake_on: null }
          : outcome === "change_required"
            ? { outcome: "change_required", due_on: changeDue }
            : { outcome: "renewed" },
      ),
    onSuccess: (r) => {
      done();
      if (r.case !== null) {
        navigate(`/proposals/${r.case}`);
      }
    },
  });
  const endTeachOut = useMutation({ mutationFn: () => api.endTeachOut(slug ?? ""), onSuccess: done });
  const startChange = useMutation({
    mutationFn: () => api.startChange(slug ?? ""),
    onSuccess: (c) => {
      done();
      navigate(`/proposals/${c.case_id}`);
    },
  });
  const m = view.data;
  const error = suspend.error ?? resume.error ?? review.error ?? endTeachOut.error ?? startChange.error;
  if (view.error) return <Alert color="red">{asAppError(view.error).message}</Alert>;
  return (
    <Stack maw={900}>
      <Anchor href="#/microcredentials" size="sm">
        All microcredentials
      </Anchor>
      {m && (
        <Stack>
          <Title order={2} data-testid="microcredential-title">
            {m.title}
          </Title>
          <Group gap="xs">
            <Badge color={statusColours[m.status]} data-testid="microcredential-status">
              {statusLabels[m.status]}
            </Badge>
            {m.status_since && (
              <Text size="sm">
                since {m.status_since}
                {m.status_reason ? `: ${m.status_reason}` : ""}
              </Text>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {m.slug}
            {m.last_reviewed_on ? `; last reviewed ${m.last_reviewed_on}` : ""}
          </Text>
          {m.next_review_due ? (
            <Text size="sm" fw={m.review_due ? 600 : undefined} data-testid="next-review">
              {m.review_due ? `Periodic review due since ${m.next_review_due}` : `Next periodic review due ${m.next_review_due}`}
            </Text>
          ) : (
            <Text size="sm">{m.status === "retired" ? "Retired: no more periodic reviews" : "No review cycle set"}</Text>
          )}
          <Text size="sm">
            Awards per year:{" "}
            {m.figures.awards_per_year.length === 0
              ? "none yet"
              : m.figures.awards_per_year.map((y) => `${y.year}: ${y.awards}`).join(", ")}
            {m.figures.revocations.length > 0 &&
              `. Revoked: ${m.figures.revocations.map((r) => `${r.count} (${r.reason})`).join(", ")}`}
          </Text>
          <Title order={3} size="h4">
            Versions
          </Title>
          <Table data-testid="versions" withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Version</Table.Th>
                <Table.Th>In effect from</Table.Th>
                <Table.Th>Approved in</Table.Th>
                <Table.Th>Awards</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {m.versions.map((v) => (
                <Table.Tr key={v.number}>
                  <Table.Td>
                    Version {v.number}
                    {v.in_effect
                      ? m.status === "retired"
                        ? " (the last in effect)"
                        : " (in effect now)"
                      : v.pending
                        ? m.status === "retired"
                          ? " (approved; never in effect, retired before its term)"
                          : " (approved, waiting for its term)"
                        : ""}
                  </Table.Td>
                  <Table.Td>{v.effective_from}</Table.Td>
                  <Table.Td>
                    <Anchor href={`#/proposals/${v.case}`} size="sm">
                      Case {v.case}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{v.awards}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Title order={3} size="h4">
            Cases and decisions
          </Title>
          <List size="sm" data-testid="cases">
            {m.cases.map((c) => (
              <List.Item key={c.id}>
                {c.created_at.slice(0, 10)}:{" "}
                <Anchor href={`#/proposals/${c.id}`} size="sm">
                  Case {c.id}
                </Anchor>
                , {caseKindLabels[c.kind]}, {c.kind !== "new" && c.status === "active" ? "approved and applied" : caseStatusLabels[c.status].toLowerCase()}
                {m.versions
                  .filter((v) => v.case === c.id)
                  .map((v) => ` (version ${v.number}, in effect from ${v.effective_from})`)
                  .join("")}
              </List.Item>
            ))}
          </List>
          <Title order={3} size="h4">
            Pathways
          </Title>
          <Text size="sm" data-testid="pathways">
            {m.pathways.length === 0
              ? "No pathway includes it."
              : `Included in ${m.pathways.join(", ")}${m.status === "retired" ? " (shown there as retired)" : ""}.`}
          </Text>
          {(m.may_start_change || m.may_request_termination || m.may_end_teach_out) && (
            <Group>
              {m.may_start_change && (
                <Button variant="light" onClick={() => startChange.mutate()} loading={startChange.isPending} data-testid="start-change">
                  Start a change request
                </Button>
              )}
              {m.may_request_termination && !terminating && (
                <Button variant="outline" color="red.9" onClick={() => setTerminating(true)} data-testid="request-termination">
                  Request termination
                </Button>
              )}
              {m.may_end_teach_out && (
                <Button color="gray.8" onClick={() => endTeachOut.mutate()} loading={endTeachOut.isPending} data-testid="end-teach-out">
                  End the teach-out now (retire)
                </Button>
              )}
            </Group>
          )}
          {terminating && m.may_request_termination && (
            <Termination
              slug={m.slug}
              onDone={(caseId) => {
                setTerminating(false);
                done();
                navigate(`/proposals/${caseId}`);
              }}
              onCancel={() => setTerminating(false)}
            />
          )}
          {m.may_suspend && (
            <Group align="flex-end">
              <TextInput
                label="Reason to suspend issuing"
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                error={fieldError(suspend.error, "reason")}
                style={{ flex: 1 }}
                data-testid="suspend-reason"
              />
              <Button color="red.9" onClick={() => suspend.mutate()} loading={suspend.isPending} data-testid="suspend">
                Suspend issuing
              </Button>
            </Group>
          )}
          {m.may_resume && (
            <Group>
              <Button onClick={() => resume.mutate()} loading={resume.isPending} data-testid="resume">
                Resume issuing
              </Button>
            </Group>
          )}
          {m.may_record_review && (
            <Stack gap="xs">
              <Group align="flex-end">
                <TextInput
                  label="Periodic review: what it found"
                  value={note}
                  onChange={(e) => setNote(e.currentTarget.value)}
                  error={fieldError(review.error, "note")}
                  style={{ flex: 1 }}
                  data-testid="review-note"
                />
                <Select
                  label="Outcome"
                  data={[
                    { value: "renewed", label: "Renewed for another cycle" },
                    { value: "change_required", label: "Change required (opens a change request)" },
                    { value: "sunset", label: "Sunset (opens a termination request)" },
                  ]}
                  value={outcome}
                  onChange={(v) => setOutcome(v ?? "renewed")}
                  allowDeselect={false}
                  w={250}
                  data-testid="review-outcome"
                />
              </Group>
              <Group align="flex-end" justify="flex-end">
                {outcome === "change_required" && (
                  <TextInput
                    label="Change due by"
                    placeholder="YYYY-MM-DD"
                    value={changeDue}
                    onChange={(e) => setChangeDue(e.currentTarget.value)}
                    error={fieldError(review.error, "due_on")}
                    w={170}
                    data-testid="change-due-on"
                  />
                )}
                {outcome === "sunset" && (
                  <TextInput
                    label="Teach-out until"
                    placeholder="YYYY-MM-DD"
                    value={sunsetUntil}
                    onChange={(e) => setSunsetUntil(e.currentTarget.value)}
                    error={fieldError(review.error, "teach_out_until", "last_intake_on")}
                    w={170}
                  />
                )}
                <Button onClick={() => review.mutate()} loading={review.isPending} data-testid="record-review">
                  Record the review
                </Button>
              </Group>
            </Stack>
          )}
          {error && !fieldError(error, "reason", "note", "teach_out_until", "last_intake_on", "due_on") && <Alert color="red">{asAppError(error).message}</Alert>}
        </Stack>
      )}
    </Stack>
  );
}

/** A termination request: the reason, the dates, and what it would touch (computed by the
 * backend before anyone asks). */
function Termination({ slug, onDone, onCancel }: { slug: string; onDone: (caseId: number) => void; onCancel: () => void }) {
  const impact = useQuery({ queryKey: keys.terminationImpact(slug), queryFn: () => api.terminationImpact(slug) });
  const [reason, setReason] = useState("");
  const [lastIntake, setLastIntake] = useState("");
  const [until, setUntil] = useState("");
  const request = useMutation({
    mutationFn: () =>
      api.requestTermination(slug, { reason, last_intake_on: lastIntake || null, teach_out_until: until }),
    onSuccess: (t) => onDone(t.case_id),
  });
  const i = impact.data;
  return (
    <Card withBorder padding="sm" data-testid="termination-form">
      <Stack gap="xs">
        <Text fw={600} size="sm">
          Request termination
        </Text>
        {i && <ImpactList impact={i} testid="termination-impact" />}
        <Textarea label="Reason" required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(request.error, "reason")} data-testid="termination-reason" />
        <Group grow>
          <TextInput label="Last intake (optional)" placeholder="YYYY-MM-DD" value={lastIntake} onChange={(e) => setLastIntake(e.currentTarget.value)} error={fieldError(request.error, "last_intake_on")} />
          <TextInput label="Teach-out until" required placeholder="YYYY-MM-DD" value={until} onChange={(e) => setUntil(e.currentTarget.value)} error={fieldError(request.error, "teach_out_until")} data-testid="termination-until" />
        </Group>
        {request.error && !fieldError(request.error, "reason", "last_intake_on", "teach_out_until") && <Alert color="red">{asAppError(request.error).message}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button color="red.9" onClick={() => request.mutate()} loading={request.isPending} data-testid="submit-termination">
            Submit the request
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** Every microcredential after approval, with its status and the version in effect. */
export function MicrocredentialsPage() {
  const list = useQuery({ queryKey: keys.lifecycle, queryFn: api.microcredentialList });
  const publish = useMutation({ mutationFn: api.exportCatalog });
  if (!list.data) return null;
  return (
    <Card withBorder padding="md">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2} size="h3">
            Microcredentials
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            Each approved microcredential, what it may award now, and its versions.
          </Text>
        </div>
        <Button variant="default" onClick={() => publish.mutate()} loading={publish.isPending} data-testid="export-catalog">
          Save the public catalog
        </Button>
      </Group>
      {publish.data && (
        <Text size="sm" mb="xs" data-testid="catalog-saved">
          Saved the catalog website in {publish.data}: open index.html, or publish the folder at the issuing base URL.
        </Text>
      )}
      {publish.error && <Alert color="red" mb="xs">{asAppError(publish.error).message}</Alert>}
      {list.data.length === 0 ? (
        <Text size="sm">None yet: a proposal becomes one when its review makes it active.</Text>
      ) : (
        <Table data-testid="microcredentials">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Title</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Version</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((m) => (
              <Table.Tr key={m.slug}>
                <Table.Td>
                  <Anchor href={`#/microcredentials/${m.slug}`} size="sm" aria-label={`Details of ${m.title}`}>
                    {m.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge color={statusColours[m.status]}>{statusLabels[m.status]}</Badge>
                </Table.Td>
                <Table.Td>v{m.version}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
