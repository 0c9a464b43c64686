import { useState } from "react";
import { Alert, Button, Card, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, asAppError, fieldError, keys } from "../../api";
import type { AcademicTerm as Term } from "../../bindings/AcademicTerm";

const blank: Term = { code: "", name: "", starts_on: "", ends_on: "" };

/** Settings > Academic calendar: the institution's terms, from which a change's effective
 * term is chosen. The whole calendar is saved at once and checked by the backend (codes
 * unique, no two terms sharing a day), each problem shown at its field. */
export function CalendarPage() {
  const client = useQueryClient();
  const calendar = useQuery({ queryKey: keys.calendar, queryFn: api.calendar });
  const [draft, setDraft] = useState<Term>(blank);
  const save = useMutation({
    mutationFn: api.setCalendar,
    onSuccess: (terms) => {
      client.setQueryData(keys.calendar, terms);
      setDraft(blank);
    },
  });
  const terms = calendar.data ?? [];
  // A new term is the last row of what is saved, so its problems are named terms[n].
  const at = terms.length;
  const error = save.error ? asAppError(save.error) : null;
  const field = (name: keyof Term) => fieldError(save.error, `terms[${at}].${name}`);
  const otherProblems = error?.fields.filter((f) => !f.field.startsWith(`terms[${at}].`)) ?? [];
  return (
    <Stack gap="md" maw={900}>
      <div>
        <Title order={2}>Academic calendar</Title>
        <Text c="dimmed" size="sm">
          The terms of the institution&apos;s year: a code, a name, and the first and last day of each.
        </Text>
      </div>
      {calendar.error && <Alert color="red">{asAppError(calendar.error).message}</Alert>}
      {terms.length === 0 ? (
        <Text size="sm">No terms yet.</Text>
      ) : (
        <Table data-testid="terms-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Code</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Starts</Table.Th>
              <Table.Th>Ends</Table.Th>
              <Table.Th>
                <span className="visually-hidden">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {terms.map((t) => (
              <Table.Tr key={t.code}>
                <Table.Td>{t.code}</Table.Td>
                <Table.Td>{t.name}</Table.Td>
                <Table.Td>{t.starts_on}</Table.Td>
                <Table.Td>{t.ends_on}</Table.Td>
                <Table.Td>
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    aria-label={`Remove ${t.name}`}
                    onClick={() => save.mutate(terms.filter((x) => x.code !== t.code))}
                  >
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Card withBorder padding="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate([...terms, draft]);
          }}
        >
          <Text fw={600} mb="xs">
            Add a term
          </Text>
          <Group align="flex-start" grow>
            <TextInput label="Code" placeholder="FA27" value={draft.code} onChange={(e) => setDraft({ ...draft, code: e.currentTarget.value })} error={field("code")} />
            <TextInput label="Term name" placeholder="Fall 2027" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })} error={field("name")} />
            <TextInput label="First day" placeholder="2027-08-23" value={draft.starts_on} onChange={(e) => setDraft({ ...draft, starts_on: e.currentTarget.value })} error={field("starts_on")} />
            <TextInput label="Last day" placeholder="2027-12-17" value={draft.ends_on} onChange={(e) => setDraft({ ...draft, ends_on: e.currentTarget.value })} error={field("ends_on")} />
          </Group>
          {otherProblems.length > 0 && (
            <Alert color="red" mt="sm">
              {otherProblems.map((f) => f.message).join("; ")}
            </Alert>
          )}
          {error && error.fields.length === 0 && (
            <Alert color="red" mt="sm">
              {error.message}
            </Alert>
          )}
          <Group justify="flex-end" mt="sm">
            <Button type="submit" loading={save.isPending} data-testid="add-term">
              Add term
            </Button>
          </Group>
        </form>
      </Card>
    </Stack>
  );
}
