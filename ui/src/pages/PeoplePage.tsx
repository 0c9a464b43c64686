import { useState } from "react";
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { FormFooter, useFormSave } from "../components/FormFooter";
import { api, asAppError, fieldError, keys } from "../api";
import type { Enrolment } from "../bindings/Enrolment";
import type { Person } from "../bindings/Person";
import type { PersonInput } from "../bindings/PersonInput";
import type { Role } from "../bindings/Role";
import type { Unit } from "../bindings/Unit";
import { options, roleLabels } from "../labels";
import { HistoryDrawer } from "../components/HistoryDrawer";
import { SignDialog } from "../components/SignDialog";

const blank: PersonInput = { name: "", email: "", unit_id: null, roles: [] };

function PersonForm({
  editing,
  units,
  onDone,
  onEnrolment,
}: {
  editing: Person | null;
  units: Unit[];
  onDone: () => void;
  onEnrolment: (e: Enrolment) => void;
}) {
  const [input, setInput] = useState<PersonInput>(editing ? { ...editing } : blank);
  const save = useFormSave(
    async (i: PersonInput) => {
      if (editing) return api.updatePerson(editing.id, i, editing);
      const added = await api.createPerson(i);
      onEnrolment(added.enrolment);
      return added.person;
    },
    [keys.people, keys.session, keys.signInOptions],
    onDone,
  );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(input);
      }}
    >
      <Stack>
        <TextInput
          label="Name"
          required
          value={input.name}
          onChange={(e) => setInput({ ...input, name: e.currentTarget.value })}
          error={fieldError(save.error, "name")}
          data-testid="person-name"
        />
        <TextInput
          label="Email"
          required
          value={input.email}
          onChange={(e) => setInput({ ...input, email: e.currentTarget.value })}
          error={fieldError(save.error, "email")}
          data-testid="person-email"
        />
        <Select
          label="Unit"
          placeholder="None"
          clearable
          searchable
          value={input.unit_id === null ? null : String(input.unit_id)}
          onChange={(v) => setInput({ ...input, unit_id: v ? Number(v) : null })}
          data={units.map((u) => ({ value: String(u.id), label: `${u.name} (${u.code})` }))}
          error={fieldError(save.error, "unit_id")}
          data-testid="person-unit"
        />
        <MultiSelect
          label="Roles"
          required
          searchable
          placeholder={input.roles.length ? undefined : "Choose one or more"}
          value={input.roles}
          onChange={(v) => setInput({ ...input, roles: v as Role[] })}
          data={options(roleLabels)}
          error={fieldError(save.error, "roles")}
          data-testid="person-roles"
        />
        <FormFooter error={save.error} onCancel={onDone} saving={save.isPending} label={editing ? "Save person" : "Add person"} testid="person-save" />
      </Stack>
    </form>
  );
}

/** The one-time code a person sets their passphrase with, shown once to the coordinator. */
function EnrolmentCode({ enrolment, onClose }: { enrolment: Enrolment | null; onClose: () => void }) {
  return (
    <Modal opened={enrolment !== null} onClose={onClose} title={enrolment ? `Enrolment code for ${enrolment.person_name}` : ""}>
      {enrolment && (
        <Stack>
          <Text size="sm">
            Hand this code to {enrolment.person_name}, in person or by a channel only they read. With it they choose
            their own passphrase (Sign in, then “I have an enrolment code”). It works once, until{" "}
            {enrolment.expires_at.slice(0, 10)}, and is not shown again.
          </Text>
          <Code block fz="xl" ta="center" data-testid="enrolment-code-shown">
            {enrolment.code}
          </Code>
          <Group justify="flex-end">
            <CopyButton value={enrolment.code}>
              {({ copied, copy }) => (
                <Button variant="light" onClick={copy}>
                  {copied ? "Copied" : "Copy the code"}
                </Button>
              )}
            </CopyButton>
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** A coordinator resets a person's forgotten signing key: signed with the coordinator's own
 * key, with the reason, kept in the audit log. The person enrols again with the new code. */
function ResetKeyDialog({
  person,
  onClose,
  onEnrolment,
}: {
  person: Person | null;
  onClose: () => void;
  onEnrolment: (e: Enrolment) => void;
}) {
  const client = useQueryClient();
  const [reason, setReason] = useState("");
  const reset = useMutation({
    mutationFn: (passphrase: string) => api.resetSigningKey(person?.id ?? 0, reason, passphrase),
    onSuccess: (enrolment) => {
      setReason("");
      void client.invalidateQueries({ queryKey: keys.signingKeys });
      void client.invalidateQueries({ queryKey: keys.signInOptions });
      onClose();
      onEnrolment(enrolment);
    },
  });
  return (
    <SignDialog
      opened={person !== null}
      title={person ? `Reset ${person.name}'s signing key` : ""}
      action="Reset key"
      pending={reset.isPending}
      error={reset.error && fieldError(reset.error, "reason") ? null : reset.error}
      onClose={() => {
        reset.reset();
        onClose();
      }}
      onSign={(passphrase) => reset.mutate(passphrase)}
    >
      <Text size="sm">
        Their key stops signing; what it signed stays verified. You get a new enrolment code to hand them, with which
        they choose a new passphrase.
      </Text>
      <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(reset.error, "reason")} data-testid="reset-reason" />
    </SignDialog>
  );
}

/** How long a signed-in window may sit idle before it locks (coordinators change it). */
function IdleLockCard() {
  const client = useQueryClient();
  const lock = useQuery({ queryKey: keys.idleLock, queryFn: api.idleLock });
  const [value, setValue] = useState<number | null>(null);
  const save = useMutation({
    mutationFn: api.setIdleLockMinutes,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.idleLock });
      setValue(null);
    },
  });
  if (lock.data === undefined) return null;
  const mayChange = lock.data.may_change;
  const error = save.error ? asAppError(save.error) : null;
  return (
    <Card withBorder padding="md" maw={640}>
      <Text fw={600}>Signing in</Text>
      <Text size="sm" c="dimmed" mb="xs">
        Each person signs in with their own passphrase, which unlocks the key that signs their changes. A window left
        idle locks, and the issuer key with it.
      </Text>
      <Group align="flex-end">
        <NumberInput
          label="Lock after this many idle minutes"
          value={value ?? lock.data.minutes}
          onChange={(v) => setValue(typeof v === "number" ? v : null)}
          min={1}
          max={480}
          w={260}
          disabled={!mayChange}
          error={error ? (error.fields[0]?.message ?? error.message) : undefined}
          data-testid="idle-lock-minutes"
        />
        {mayChange && (
          <Button variant="light" onClick={() => value !== null && save.mutate(value)} loading={save.isPending} disabled={value === null}>
            Save
          </Button>
        )}
      </Group>
    </Card>
  );
}

export function PeoplePage() {
  const people = useQuery({ queryKey: keys.people, queryFn: api.listPeople });
  const units = useQuery({ queryKey: keys.units, queryFn: api.listUnits });
  const [form, setForm] = useState<{ editing: Person | null } | null>(null);
  const [history, setHistory] = useState<Person | null>(null);
  const [resetting, setResetting] = useState<Person | null>(null);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const newCode = useMutation({ mutationFn: (p: Person) => api.newEnrolment(p.id), onSuccess: setEnrolment });
  const signing = useQuery({ queryKey: keys.signingKeys, queryFn: api.signingKeys });
  const holders = new Set(signing.data?.holders ?? []);
  const [filter, setFilter] = useState("");
  const allUnits = units.data ?? [];
  const unitById = new Map(allUnits.map((u) => [u.id, u]));
  const needle = filter.trim().toLowerCase();
  const shown = (people.data ?? []).filter(
    (p) => !needle || p.name.toLowerCase().includes(needle) || p.email.toLowerCase().includes(needle),
  );
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <div>
          <Title order={2}>People</Title>
          <Text c="dimmed" size="sm">
            Coordinators, proposers, approvers and committee members.
          </Text>
        </div>
        <Group>
          <TextInput
            placeholder="Find by name or email"
            aria-label="Find by name or email"
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
          />
          <Button onClick={() => setForm({ editing: null })} data-testid="add-person">
            Add person
          </Button>
        </Group>
      </Group>
      {people.error && <Alert color="red">{asAppError(people.error).message}</Alert>}
      {newCode.error && <Alert color="red">{asAppError(newCode.error).message}</Alert>}
      <Table striped highlightOnHover data-testid="people-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Unit</Table.Th>
            <Table.Th>Roles</Table.Th>
            <Table.Th>Signing key</Table.Th>
            <Table.Th>
              <span className="visually-hidden">Actions</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>{p.name}</Table.Td>
              <Table.Td>{p.email}</Table.Td>
              <Table.Td>{p.unit_id !== null ? unitById.get(p.unit_id)?.code ?? "" : "—"}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {p.roles.map((r) => (
                    <Badge key={r} variant="default" size="sm" tt="none">
                      {roleLabels[r]}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>{holders.has(p.id) ? "Yes" : "Not enrolled"}</Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  {signing.data?.may_reset && !holders.has(p.id) && (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      onClick={() => newCode.mutate(p)}
                      aria-label={`New enrolment code for ${p.name}`}
                      data-testid={`new-code-${p.id}`}
                    >
                      New enrolment code
                    </Button>
                  )}
                  {signing.data?.may_reset && holders.has(p.id) && (
                    <Button size="compact-sm" variant="subtle" onClick={() => setResetting(p)} aria-label={`Reset key of ${p.name}`} data-testid={`reset-key-${p.id}`}>
                      Reset key
                    </Button>
                  )}
                  <Button size="compact-sm" variant="subtle" onClick={() => setForm({ editing: p })} aria-label={`Edit ${p.name}`}>
                    Edit
                  </Button>
                  <Button size="compact-sm" variant="subtle" onClick={() => setHistory(p)} aria-label={`History of ${p.name}`}>
                    History
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={form !== null} onClose={() => setForm(null)} title={form?.editing ? `Edit ${form.editing.name}` : "Add a person"}>
        {form && (
          <PersonForm editing={form.editing} units={allUnits} onDone={() => setForm(null)} onEnrolment={setEnrolment} />
        )}
      </Modal>
      <ResetKeyDialog person={resetting} onClose={() => setResetting(null)} onEnrolment={setEnrolment} />
      <EnrolmentCode enrolment={enrolment} onClose={() => setEnrolment(null)} />
      <IdleLockCard />
      <HistoryDrawer record={history && { entity: "person", id: history.id, title: history.name }} onClose={() => setHistory(null)} />
    </Stack>
  );
}
