import { useState } from "react";
import { Anchor, Badge, Button, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { api, asAppError, fieldError, keys } from "../api";

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
