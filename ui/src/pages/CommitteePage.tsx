import { useState } from "react";
import { Alert, Badge, Button, Card, Group, NumberInput, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, asAppError, fieldError, keys } from "../api";
import type { Seat } from "../bindings/Seat";
import type { VotingRules } from "../bindings/VotingRules";
import type { Rubric } from "../bindings/Rubric";

const seatLabels: Record<Seat, string> = { chair: "Chair", voting: "Voting", non_voting: "Non-voting", alternate: "Alternate" };

function AddMember() {
  const client = useQueryClient();
  const people = useQuery({ queryKey: keys.people, queryFn: api.listPeople });
  const committee = useQuery({ queryKey: keys.committee, queryFn: api.committee });
  const [person, setPerson] = useState<string | null>(null);
  const [seat, setSeat] = useState<Seat>("voting");
  const [alternateFor, setAlternateFor] = useState<string | null>(null);
  const year = new Date().getFullYear();
  const [from, setFrom] = useState(`${year}-01-01`);
  const [to, setTo] = useState(`${year + 1}-12-31`);
  const add = useMutation({
    mutationFn: () =>
      api.addMember({ person_id: Number(person), seat, alternate_for: seat === "alternate" && alternateFor ? Number(alternateFor) : null, term_start: from, term_end: to }),
    onSuccess: () => {
      setPerson(null);
      void client.invalidateQueries({ queryKey: keys.committee });
    },
  });
  const everyone = (people.data ?? []).map((p) => ({ value: String(p.id), label: p.name }));
  const seated = (committee.data ?? []).filter((m) => m.membership.seat !== "alternate").map((m) => ({ value: String(m.person.id), label: m.person.name }));
  const error = add.error ? asAppError(add.error) : null;
  return (
    <Card withBorder padding="md">
      <Text fw={600} mb="xs">
        Give someone a seat
      </Text>
      <Group align="flex-start">
        <Select label="Person" searchable data={everyone} value={person} onChange={setPerson} w={220} error={fieldError(add.error, "person_id")} />
        <Select label="Seat" data={Object.entries(seatLabels).map(([value, label]) => ({ value, label }))} value={seat} onChange={(v) => v && setSeat(v as Seat)} allowDeselect={false} w={140} />
        {seat === "alternate" && <Select label="Stands in for" data={seated} value={alternateFor} onChange={setAlternateFor} w={200} error={fieldError(add.error, "alternate_for")} />}
        <TextInput label="Term from" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={130} error={fieldError(add.error, "term_start")} />
        <TextInput label="Term to" value={to} onChange={(e) => setTo(e.currentTarget.value)} w={130} error={fieldError(add.error, "term_end")} />
        <Button mt={25} onClick={() => add.mutate()} disabled={!person} loading={add.isPending}>
          Add
        </Button>
      </Group>
      {error && error.fields.length === 0 && <Alert color="red" mt="xs">{error.message}</Alert>}
    </Card>
  );
}

function Rules() {
  const client = useQueryClient();
  const rules = useQuery({ queryKey: [...keys.committee, "rules"], queryFn: api.votingRules });
  const [draft, setDraft] = useState<VotingRules | null>(null);
  const save = useMutation({
    mutationFn: (r: VotingRules) => api.setVotingRules(r),
    onSuccess: () => {
      setDraft(null);
      void client.invalidateQueries({ queryKey: keys.committee });
    },
  });
  const r = draft ?? rules.data;
  if (!r) return null;
  return (
    <Card withBorder padding="md">
      <Text fw={600} mb="xs">
        Voting rules
      </Text>
      <Group align="flex-end">
        <NumberInput label="Quorum (voting members present)" min={1} value={r.quorum} onChange={(v) => typeof v === "number" && setDraft({ ...r, quorum: v })} w={230} error={fieldError(save.error, "quorum")} />
        <Select label="A motion carries with" value={r.threshold} onChange={(v) => v && setDraft({ ...r, threshold: v as VotingRules["threshold"] })} data={[{ value: "simple_majority", label: "More than half" }, { value: "two_thirds", label: "Two thirds" }]} allowDeselect={false} w={170} />
        <Select label="Of" value={r.base} onChange={(v) => v && setDraft({ ...r, base: v as VotingRules["base"] })} data={[{ value: "present", label: "Voting members present" }, { value: "all_voting", label: "All voting members" }]} allowDeselect={false} w={210} />
        <Button variant="light" disabled={!draft} onClick={() => draft && save.mutate(draft)} loading={save.isPending}>
          Save rules
        </Button>
      </Group>
    </Card>
  );
}

/** The rubric reviewers score against: criteria and the scale (coordinators edit it). */
function RubricCard() {
  const client = useQueryClient();
  const rubric = useQuery({ queryKey: [...keys.committee, "rubric"], queryFn: api.rubric });
  const [draft, setDraft] = useState<Rubric | null>(null);
  const save = useMutation({
    mutationFn: (r: Rubric) => api.setRubric(r),
    onSuccess: () => {
      setDraft(null);
      void client.invalidateQueries({ queryKey: keys.committee });
    },
  });
  const r = draft ?? rubric.data;
  if (!r) return null;
  const setCriterion = (i: number, patch: Partial<Rubric["criteria"][number]>) => setDraft({ ...r, criteria: r.criteria.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  return (
    <Card withBorder padding="md" data-testid="rubric">
      <Text fw={600}>Review rubric</Text>
      <Text size="sm" c="dimmed" mb="xs">
        Reviewers score each criterion from {r.scale_min} to {r.scale_max}, with a comment.
      </Text>
      <Stack gap="xs">
        {r.criteria.map((c, i) => (
          <Group key={i} wrap="nowrap" align="flex-end">
            <TextInput label={i === 0 ? "Key" : undefined} aria-label="Key" value={c.key} onChange={(e) => setCriterion(i, { key: e.currentTarget.value })} w={120} />
            <TextInput label={i === 0 ? "Criterion" : undefined} aria-label="Criterion" value={c.name} onChange={(e) => setCriterion(i, { name: e.currentTarget.value })} w={200} />
            <TextInput label={i === 0 ? "What it asks" : undefined} aria-label="What it asks" value={c.description} onChange={(e) => setCriterion(i, { description: e.currentTarget.value })} style={{ flex: 1 }} />
          </Group>
        ))}
        <Group align="flex-end">
          <Button size="xs" variant="light" onClick={() => setDraft({ ...r, criteria: [...r.criteria, { key: "", name: "", description: "" }] })}>
            Add a criterion
          </Button>
          <NumberInput label="Lowest score" min={0} max={99} value={r.scale_min} onChange={(v) => typeof v === "number" && setDraft({ ...r, scale_min: v })} w={120} />
          <NumberInput label="Highest score" min={1} max={100} value={r.scale_max} onChange={(v) => typeof v === "number" && setDraft({ ...r, scale_max: v })} w={120} />
          <Button variant="light" disabled={!draft} onClick={() => draft && save.mutate(draft)} loading={save.isPending}>
            Save rubric
          </Button>
        </Group>
        {save.error && <Alert color="red">{asAppError(save.error).fields.map((f) => `${f.field}: ${f.message}`).join("; ") || asAppError(save.error).message}</Alert>}
      </Stack>
    </Card>
  );
}

function Clock() {
  const clock = useQuery({ queryKey: [...keys.committee, "clock"], queryFn: api.serviceClock });
  const c = clock.data;
  if (!c) return null;
  return (
    <Card withBorder padding="md" data-testid="service-clock">
      <Text fw={600}>Service clock</Text>
      <Text size="sm" c="dimmed" mb="xs">
        Median days to a decision: {c.median_days_to_decision ?? "—"} ({c.decided} decided)
      </Text>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Step</Table.Th>
            <Table.Th>Median days</Table.Th>
            <Table.Th>Completed</Table.Th>
            <Table.Th>Open</Table.Th>
            <Table.Th>Overdue</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {c.steps.map((s) => (
            <Table.Tr key={s.step}>
              <Table.Td>{s.step}</Table.Td>
              <Table.Td>{s.median_days ?? "—"}</Table.Td>
              <Table.Td>{s.completed}</Table.Td>
              <Table.Td>{s.open}</Table.Td>
              <Table.Td>
                {s.overdue > 0 ? (
                  <Badge size="sm" color="red.9" variant="filled">
                    {s.overdue}
                  </Badge>
                ) : (
                  <Text size="sm">0</Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

/** The committee: members with their seats and terms, the voting rules, the service clock. */
export function CommitteePage() {
  const committee = useQuery({ queryKey: keys.committee, queryFn: api.committee });
  const name = new Map((committee.data ?? []).map((m) => [m.person.id, m.person.name]));
  return (
    <Stack gap="md">
      <div>
        <Title order={2}>Committee</Title>
        <Text c="dimmed" size="sm">
          Members vote in their term; alternates vote only when their member is absent; members of a proposing unit are recused from its proposals.
        </Text>
      </div>
      <Table striped data-testid="committee-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Member</Table.Th>
            <Table.Th>Seat</Table.Th>
            <Table.Th>Term</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(committee.data ?? []).map((m, i) => (
            <Table.Tr key={i}>
              <Table.Td>{m.person.name}</Table.Td>
              <Table.Td>
                {seatLabels[m.membership.seat]}
                {m.membership.alternate_for !== null ? ` for ${name.get(m.membership.alternate_for) ?? ""}` : ""}
              </Table.Td>
              <Table.Td>
                {m.membership.term_start} to {m.membership.term_end}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <AddMember />
      <Rules />
      <RubricCard />
      <Clock />
    </Stack>
  );
}
