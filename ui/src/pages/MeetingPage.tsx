import { useState } from "react";
import { ActionIcon, Alert, Anchor, Badge, Button, Card, Checkbox, Group, List, Select, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IconArrowDown, IconArrowUp, IconGripVertical, IconTrash } from "@tabler/icons-react";
import { useNavigate, useParams } from "react-router";
import { api, asAppError, keys } from "../api";
import type { Condition } from "../bindings/Condition";
import type { Decision } from "../bindings/Decision";
import type { MeetingView } from "../bindings/MeetingView";
import type { VoteChoice } from "../bindings/VoteChoice";
import { SignDialog } from "../components/SignDialog";

type DecisionKind = Decision["kind"];
const decisionLabels: Record<DecisionKind, string> = {
  approve: "Approve",
  approve_with_conditions: "Approve with conditions",
  request_revisions: "Request revisions",
  table: "Table",
  reject: "Reject",
};

export function errorText(e: unknown) {
  const a = asAppError(e);
  return a.fields.length ? a.fields.map((f) => f.message).join("; ") : a.message;
}

/** The agenda, in order: drag a row, or use the arrows. */
function Agenda({ m, onSaved }: { m: MeetingView; onSaved: (v: MeetingView) => void }) {
  const queue = useQuery({ queryKey: [...keys.meetings, "queue"], queryFn: api.committeeQueue });
  const [dragged, setDragged] = useState<number | null>(null);
  const save = useMutation({ mutationFn: (ids: number[]) => api.setAgenda(m.id, ids), onSuccess: onSaved });
  const ids = m.agenda.map((a) => a.proposal_id);
  const move = (from: number, to: number) => {
    if (to < 0 || to >= ids.length || from === to) return;
    const next = [...ids];
    const [x] = next.splice(from, 1);
    if (x !== undefined) next.splice(to, 0, x);
    save.mutate(next);
  };
  const waiting = (queue.data ?? []).filter((q) => !ids.includes(q.proposal_id));
  const editable = m.status !== "closed";
  return (
    <Card withBorder padding="md" data-testid="agenda">
      <Title order={3} size="h4" mb="xs">
        Agenda
      </Title>
      {m.agenda.length === 0 && (
        <Text size="sm" c="dimmed">
          Nothing on the agenda yet.
        </Text>
      )}
      <Stack gap={4}>
        {m.agenda.map((a, i) => (
          <Group
            key={a.proposal_id}
            gap="xs"
            wrap="nowrap"
            draggable={editable}
            onDragStart={() => setDragged(i)}
            onDragOver={(e) => e.preventDefault()}
            onDrop={() => dragged !== null && move(dragged, i)}
            style={{ cursor: editable ? "grab" : undefined }}
            data-testid="agenda-item"
          >
            {editable && <IconGripVertical size={16} aria-hidden />}
            <Text size="sm" style={{ flex: 1 }}>
              {i + 1}.{" "}
              <Anchor href={`#/proposals/${a.proposal_id}`} size="sm">
                {a.title}
              </Anchor>{" "}
              {a.unit && <Text span size="xs" c="dimmed">({a.unit})</Text>} {a.information_only && <Badge size="xs" variant="filled">information</Badge>}
            </Text>
            <Badge size="sm" variant="filled" color={a.outcome ? "teal.9" : "gray.7"} tt="none">
              {a.outcome ?? "pending"}
            </Badge>
            {editable && (
              <>
                <ActionIcon variant="subtle" aria-label={`Move ${a.title} up`} disabled={i === 0} onClick={() => move(i, i - 1)}>
                  <IconArrowUp size={16} />
                </ActionIcon>
                <ActionIcon variant="subtle" aria-label={`Move ${a.title} down`} disabled={i === m.agenda.length - 1} onClick={() => move(i, i + 1)}>
                  <IconArrowDown size={16} />
                </ActionIcon>
                {!a.outcome && (
                  <ActionIcon variant="subtle" color="red" aria-label={`Take ${a.title} off the agenda`} onClick={() => save.mutate(ids.filter((x) => x !== a.proposal_id))}>
                    <IconTrash size={16} />
                  </ActionIcon>
                )}
              </>
            )}
          </Group>
        ))}
      </Stack>
      {editable && waiting.length > 0 && (
        <Select
          mt="sm"
          label="Add a proposal ready for the committee"
          placeholder="Choose"
          data={waiting.map((q) => ({ value: String(q.proposal_id), label: `${q.title}${q.tabled ? " (tabled)" : ""}${q.information_only ? " (information)" : ""}` }))}
          value={null}
          onChange={(v) => v && save.mutate([...ids, Number(v)])}
          w={420}
          data-testid="agenda-add"
        />
      )}
      {save.error && <Text c="red" size="sm" mt="xs">{errorText(save.error)}</Text>}
    </Card>
  );
}

function Attendance({ m, onSaved }: { m: MeetingView; onSaved: (v: MeetingView) => void }) {
  const committee = useQuery({ queryKey: keys.committee, queryFn: api.committee });
  const serving = (committee.data ?? []).filter((x) => x.membership.term_start <= m.held_on && m.held_on <= x.membership.term_end);
  const [present, setPresent] = useState<number[] | null>(null);
  const current = present ?? m.present_ids;
  const save = useMutation({
    mutationFn: () => api.recordAttendance(m.id, current),
    onSuccess: (v) => {
      setPresent(null);
      onSaved(v);
    },
  });
  return (
    <Card withBorder padding="md" data-testid="attendance">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          Attendance
        </Title>
        <Badge color={m.quorate ? "teal.9" : "red.9"} variant="filled" tt="none" data-testid="quorum">
          {m.voting_present} of {m.voting_seats} voting members present; quorum {m.rules.quorum}: {m.quorate ? "met" : "not met"}
        </Badge>
      </Group>
      <Group gap="lg">
        {serving.map((x) => (
          <Checkbox
            key={x.person.id}
            label={`${x.person.name} (${x.membership.seat.replace("_", "-")})`}
            checked={current.includes(x.person.id)}
            disabled={!m.attendance_open}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              setPresent(on ? [...current, x.person.id] : current.filter((p) => p !== x.person.id));
            }}
          />
        ))}
      </Group>
      {m.attendance_open ? (
        <Button mt="sm" size="xs" variant="light" w="fit-content" onClick={() => save.mutate()} disabled={present === null} loading={save.isPending} data-testid="record-attendance">
          Record attendance
        </Button>
      ) : (
        m.status !== "closed" && (
          <Text size="xs" c="dimmed" mt="xs" data-testid="attendance-frozen">
            Attendance is frozen: a motion has been moved, and its quorum and votes were counted against it.
          </Text>
        )
      )}
      {save.error && <Text c="red" size="sm" mt="xs">{errorText(save.error)}</Text>}
    </Card>
  );
}

/** The decision a motion proposes: its kind, and its conditions or comment. */
export function useDecisionEditor() {
  const [kind, setKind] = useState<DecisionKind>("approve");
  const [conditions, setConditions] = useState<Condition[]>([]);
  const [comment, setComment] = useState("");
  const [toStep, setToStep] = useState<string | null>(null);
  const decision = (): Decision => {
    switch (kind) {
      case "approve_with_conditions":
        return { kind, conditions };
      case "request_revisions":
        return { kind, comment, to_step: toStep };
      case "reject":
        return { kind, reason: comment };
      default:
        return { kind };
    }
  };
  const reset = () => {
    setConditions([]);
    setComment("");
    setToStep(null);
  };
  return { kind, setKind, conditions, setConditions, comment, setComment, toStep, setToStep, decision, reset };
}

/** `proposal`: the item the motion is about, whose earlier steps revisions may return to. */
export function DecisionFields({ editor, proposal }: { editor: ReturnType<typeof useDecisionEditor>; proposal: number | null }) {
  const people = useQuery({ queryKey: keys.people, queryFn: api.listPeople });
  const review = useQuery({ queryKey: keys.review(proposal ?? 0), queryFn: () => api.review(proposal ?? 0), enabled: proposal !== null && editor.kind === "request_revisions" });
  const earlier = [...new Set((review.data?.steps ?? []).filter((s) => s.left_at !== null).map((s) => s.name))];
  const everyone = (people.data ?? []).map((p) => ({ value: String(p.id), label: p.name }));
  const { kind, conditions, setConditions, comment, setComment } = editor;
  return (
    <>
      {kind === "approve_with_conditions" && (
        <Stack gap="xs" mt="sm">
          {conditions.map((c, i) => (
            <Group key={i} align="flex-end" wrap="nowrap">
              <TextInput label={i === 0 ? "Condition" : undefined} aria-label="Condition" value={c.text} onChange={(e) => { const text = e.currentTarget.value; setConditions(conditions.map((x, j) => (j === i ? { ...x, text } : x))); }} style={{ flex: 1 }} data-testid={`condition-text-${i}`} />
              <Select label={i === 0 ? "Owner" : undefined} aria-label="Owner" data={everyone} value={c.owner_id ? String(c.owner_id) : null} onChange={(v) => setConditions(conditions.map((x, j) => (j === i ? { ...x, owner_id: Number(v) } : x)))} w={200} data-testid={`condition-owner-${i}`} />
              <TextInput label={i === 0 ? "Due (YYYY-MM-DD)" : undefined} aria-label="Due" value={c.due} onChange={(e) => { const due = e.currentTarget.value; setConditions(conditions.map((x, j) => (j === i ? { ...x, due } : x))); }} w={150} data-testid={`condition-due-${i}`} />
            </Group>
          ))}
          <Button size="xs" variant="light" w="fit-content" onClick={() => setConditions([...conditions, { text: "", owner_id: 0, due: "" }])} data-testid="add-condition">
            Add a condition
          </Button>
        </Stack>
      )}
      {(kind === "request_revisions" || kind === "reject") && (
        <Textarea mt="sm" label={kind === "reject" ? "Why it is rejected" : "What must be revised"} value={comment} onChange={(e) => setComment(e.currentTarget.value)} autosize />
      )}
      {kind === "request_revisions" && earlier.length > 0 && (
        <Select
          mt="sm"
          label="Send it back to"
          data={[{ value: "", label: "Draft (the proposer revises it)" }, ...earlier.map((e) => ({ value: e, label: `The ${e} step` }))]}
          value={editor.toStep ?? ""}
          onChange={(v) => editor.setToStep(v ? v : null)}
          allowDeselect={false}
          w={320}
        />
      )}
    </>
  );
}

export const decisionOptions = Object.entries(decisionLabels).map(([value, label]) => ({ value, label }));

function NewMotion({ m, onSaved }: { m: MeetingView; onSaved: (v: MeetingView) => void }) {
  const committee = useQuery({ queryKey: keys.committee, queryFn: api.committee });
  const pending = m.agenda.filter((a) => !a.outcome && !a.information_only);
  const [proposal, setProposal] = useState<string | null>(null);
  const editor = useDecisionEditor();
  const [movedBy, setMovedBy] = useState<string | null>(null);
  const [secondedBy, setSecondedBy] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => api.moveMotion(m.id, Number(proposal), editor.decision(), Number(movedBy), Number(secondedBy)),
    onSuccess: (v) => {
      editor.reset();
      onSaved(v);
    },
  });
  if (m.status === "closed" || m.deadline !== null || pending.length === 0) return null;
  const present = (committee.data ?? []).filter((x) => m.present_ids.includes(x.person.id)).map((x) => ({ value: String(x.person.id), label: x.person.name }));
  return (
    <Card withBorder padding="md" data-testid="new-motion">
      <Title order={3} size="h4" mb="xs">
        Record a motion
      </Title>
      <Group align="flex-start">
        <Select label="Item" data={pending.map((a) => ({ value: String(a.proposal_id), label: a.title }))} value={proposal} onChange={setProposal} w={260} data-testid="motion-item" />
        <Select label="Motion" data={decisionOptions} value={editor.kind} onChange={(v) => v && editor.setKind(v as DecisionKind)} allowDeselect={false} w={220} data-testid="motion-kind" />
        <Select label="Moved by" data={present} value={movedBy} onChange={setMovedBy} w={180} data-testid="motion-mover" />
        <Select label="Seconded by" data={present} value={secondedBy} onChange={setSecondedBy} w={180} data-testid="motion-seconder" />
      </Group>
      <DecisionFields editor={editor} proposal={proposal ? Number(proposal) : null} />
      {save.error && <Alert color="red" mt="sm" data-testid="motion-error">{errorText(save.error)}</Alert>}
      <Button mt="sm" onClick={() => save.mutate()} disabled={!proposal || !movedBy || !secondedBy} loading={save.isPending} data-testid="record-motion">
        Record motion
      </Button>
    </Card>
  );
}

type Signing = { kind: "vote"; motion: number; choice: VoteChoice } | { kind: "close"; motion: number };

/** A meeting: agenda, attendance and quorum, motions and signed votes, and its documents. */
export function MeetingPage() {
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const navigate = useNavigate();
  const client = useQueryClient();
  const meeting = useQuery({ queryKey: keys.meeting(id), queryFn: () => api.meeting(id) });
  const [signing, setSigning] = useState<Signing | null>(null);
  const saved = (v: MeetingView) => {
    client.setQueryData(keys.meeting(id), v);
    void client.invalidateQueries({ queryKey: keys.meetings });
  };
  const sign = useMutation({
    mutationFn: (passphrase: string) => {
      if (!signing) throw new Error("nothing to sign");
      return signing.kind === "vote" ? api.castVote(signing.motion, signing.choice, passphrase) : api.closeMotion(signing.motion, passphrase);
    },
    onSuccess: (v) => {
      saved(v);
      setSigning(null);
    },
  });
  const simple = useMutation({
    mutationFn: (f: () => Promise<MeetingView>) => f(),
    onSuccess: saved,
  });
  const doc = useMutation({ mutationFn: (kind: "agenda" | "minutes") => api.openDocument(kind, id) });
  const m = meeting.data;
  if (meeting.isError) return <Alert color="red">{asAppError(meeting.error).message}</Alert>;
  if (!m) return null;
  const open = (s: Signing) => {
    sign.reset();
    setSigning(s);
  };
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <div>
          <Anchor size="sm" onClick={() => navigate("/meetings")}>
            ← Meetings
          </Anchor>
          <Title order={2} data-testid="meeting-heading">
            {m.title}
          </Title>
          <Text size="sm" c="dimmed">
            {m.held_on} · {m.status}
            {m.deadline ? ` · electronic vote, votes taken until ${m.deadline}` : ""}
          </Text>
        </div>
        <Group>
          <Button variant="default" onClick={() => doc.mutate("agenda")}>
            Agenda PDF
          </Button>
          <Button variant="default" onClick={() => doc.mutate("minutes")} data-testid="minutes-pdf">
            Minutes PDF
          </Button>
          {m.status !== "closed" && (
            <Button color="gray" onClick={() => simple.mutate(() => api.closeMeeting(id))} data-testid="close-meeting">
              Close meeting
            </Button>
          )}
        </Group>
      </Group>
      {doc.data && <Text size="sm" c="dimmed" data-testid="document-path">Written to {doc.data}</Text>}
      {(simple.error ?? doc.error) && <Alert color="red">{errorText(simple.error ?? doc.error)}</Alert>}
      <Agenda m={m} onSaved={saved} />
      <Attendance m={m} onSaved={saved} />
      {m.status !== "closed" &&
        m.agenda
          .filter((a) => a.information_only && !a.outcome)
          .map((a) => (
            <Group key={a.proposal_id}>
              <Text size="sm">{a.title} is for information.</Text>
              <Button size="xs" variant="light" onClick={() => simple.mutate(() => api.acknowledgeItem(id, a.proposal_id))}>
                Receive it
              </Button>
            </Group>
          ))}
      <NewMotion m={m} onSaved={saved} />
      {m.motions.map((mo) => (
        <Card key={mo.id} withBorder padding="md" data-testid="motion">
          <Group justify="space-between">
            <Text fw={600}>
              Motion {mo.id}: {decisionLabels[mo.decision.kind]} {mo.proposal_title}
            </Text>
            <Badge variant="filled" color={mo.status === "carried" ? "teal.9" : mo.status === "failed" ? "red.9" : "blue.9"} tt="none" data-testid="motion-status">
              {mo.status}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            Moved by {mo.moved_by}, seconded by {mo.seconded_by}
          </Text>
          {mo.decision.kind === "approve_with_conditions" && (
            <List size="sm" mt={4}>
              {mo.decision.conditions.map((c, i) => (
                <List.Item key={i}>
                  {c.text} (due {c.due})
                </List.Item>
              ))}
            </List>
          )}
          {mo.tally && (
            <Text size="sm" mt={4} data-testid="motion-tally">
              {mo.tally.for_} for, {mo.tally.against} against, {mo.tally.abstain} abstaining: {mo.tally.carried ? "carried" : "failed"}
            </Text>
          )}
          <Text size="sm" mt={4}>
            Votes: {mo.votes.length ? mo.votes.map((v) => `${v.voter} (${v.choice})`).join(", ") : "none yet"}
          </Text>
          {mo.status === "open" && m.status !== "closed" && (
            <Group gap="xs" mt="xs">
              {(["for", "against", "abstain"] as VoteChoice[]).map((c) => (
                <Button key={c} size="xs" variant="light" onClick={() => open({ kind: "vote", motion: mo.id, choice: c })} data-testid={`vote-${c}`}>
                  Vote {c}
                </Button>
              ))}
              <Button size="xs" onClick={() => open({ kind: "close", motion: mo.id })} data-testid="close-motion">
                Close motion and count
              </Button>
            </Group>
          )}
        </Card>
      ))}
      <SignDialog
        opened={signing !== null}
        title={signing?.kind === "vote" ? `Vote ${signing.choice} on motion ${signing.motion}` : `Close motion ${signing?.motion ?? ""}`}
        action={signing?.kind === "vote" ? "Sign my vote" : "Count and record"}
        pending={sign.isPending}
        error={sign.error}
        onClose={() => setSigning(null)}
        onSign={(p) => sign.mutate(p)}
      />
    </Stack>
  );
}
