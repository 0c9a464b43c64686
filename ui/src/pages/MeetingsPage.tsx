import { useState } from "react";
import { Alert, Anchor, Badge, Button, Card, Group, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { api, asAppError, fieldError, keys } from "../api";
import type { Decision } from "../bindings/Decision";
import { DecisionFields, decisionOptions, errorText, useDecisionEditor } from "./MeetingPage";

/** Between meetings: a motion put to an electronic vote with a deadline. */
function ElectronicVote() {
  const navigate = useNavigate();
  const queue = useQuery({ queryKey: [...keys.meetings, "queue"], queryFn: api.committeeQueue });
  const committee = useQuery({ queryKey: keys.committee, queryFn: api.committee });
  const [proposal, setProposal] = useState<string | null>(null);
  const editor = useDecisionEditor();
  const [movedBy, setMovedBy] = useState<string | null>(null);
  const [secondedBy, setSecondedBy] = useState<string | null>(null);
  const [deadline, setDeadline] = useState("");
  const open = useMutation({
    mutationFn: () => api.openElectronicVote(Number(proposal), editor.decision(), Number(movedBy), Number(secondedBy), deadline),
    onSuccess: (m) => navigate(`/meetings/${m.id}`),
  });
  const items = (queue.data ?? []).filter((q) => !q.information_only);
  if (items.length === 0) return null;
  const voting = (committee.data ?? []).filter((x) => x.membership.seat === "chair" || x.membership.seat === "voting").map((x) => ({ value: String(x.person.id), label: x.person.name }));
  return (
    <Card withBorder padding="md" data-testid="electronic-vote">
      <Title order={3} size="h4" mb="xs">
        Electronic vote between meetings
      </Title>
      <Group align="flex-start">
        <Select label="Proposal" data={items.map((q) => ({ value: String(q.proposal_id), label: q.title }))} value={proposal} onChange={setProposal} w={260} />
        <Select label="Motion" data={decisionOptions} value={editor.kind} onChange={(v) => v && editor.setKind(v as Decision["kind"])} allowDeselect={false} w={220} />
        <Select label="Moved by" data={voting} value={movedBy} onChange={setMovedBy} w={170} />
        <Select label="Seconded by" data={voting} value={secondedBy} onChange={setSecondedBy} w={170} />
        <TextInput label="Votes close" placeholder="YYYY-MM-DD" value={deadline} onChange={(e) => setDeadline(e.currentTarget.value)} error={fieldError(open.error, "deadline")} w={140} />
      </Group>
      <DecisionFields editor={editor} proposal={proposal ? Number(proposal) : null} />
      {open.error && !fieldError(open.error, "deadline") && (
        <Alert color="red" mt="sm">
          {errorText(open.error)}
        </Alert>
      )}
      <Button mt="sm" onClick={() => open.mutate()} disabled={!proposal || !movedBy || !secondedBy || !deadline} loading={open.isPending}>
        Open the vote
      </Button>
    </Card>
  );
}

/** Committee meetings, newest first, and scheduling the next one. */
export function MeetingsPage() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const meetings = useQuery({ queryKey: keys.meetings, queryFn: api.meetings });
  const [title, setTitle] = useState("");
  const [date, setDate] = useState(new Date().toISOString().slice(0, 10));
  const schedule = useMutation({
    mutationFn: () => api.scheduleMeeting(title, date),
    onSuccess: (m) => {
      void client.invalidateQueries({ queryKey: keys.meetings });
      navigate(`/meetings/${m.id}`);
    },
  });
  const general = schedule.error && asAppError(schedule.error).fields.length === 0 ? asAppError(schedule.error).message : null;
  return (
    <Stack gap="md">
      <div>
        <Title order={2}>Meetings</Title>
        <Text c="dimmed" size="sm">
          Agendas, attendance, motions and signed votes; the minutes are written from them.
        </Text>
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          schedule.mutate();
        }}
      >
        <Group align="flex-start">
          <TextInput label="Title" placeholder="December meeting" value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={fieldError(schedule.error, "title")} w={260} data-testid="meeting-title" />
          <TextInput label="Date" value={date} onChange={(e) => setDate(e.currentTarget.value)} error={fieldError(schedule.error, "held_on")} w={140} data-testid="meeting-date" />
          <Button mt={25} type="submit" loading={schedule.isPending} data-testid="schedule-meeting">
            Schedule
          </Button>
        </Group>
        {general && (
          <Text c="red" size="sm" mt={4}>
            {general}
          </Text>
        )}
      </form>
      <ElectronicVote />
      <Table striped data-testid="meetings-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Date</Table.Th>
            <Table.Th>Meeting</Table.Th>
            <Table.Th>Items</Table.Th>
            <Table.Th>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(meetings.data ?? []).map((m) => (
            <Table.Tr key={m.id}>
              <Table.Td>{m.held_on}</Table.Td>
              <Table.Td>
                <Anchor size="sm" onClick={() => navigate(`/meetings/${m.id}`)}>
                  {m.title}
                </Anchor>
              </Table.Td>
              <Table.Td>{m.agenda.length}</Table.Td>
              <Table.Td>
                <Badge variant="filled" color={m.status === "closed" ? "gray.7" : m.status === "open" ? "teal.9" : "blue.9"} tt="none">
                  {m.status}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
