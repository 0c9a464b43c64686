import { useState } from "react";
import { Alert, Button, Group, Modal, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { FormFooter, useFormSave } from "../components/FormFooter";
import { api, asAppError, fieldError, keys } from "../api";
import type { Unit } from "../bindings/Unit";
import type { UnitInput } from "../bindings/UnitInput";
import { options, unitKindLabels } from "../labels";
import { HistoryDrawer } from "../components/HistoryDrawer";

const blank: UnitInput = { code: "", name: "", kind: "department", parent_id: null };

function UnitForm({ editing, units, onDone }: { editing: Unit | null; units: Unit[]; onDone: () => void }) {
  const [input, setInput] = useState<UnitInput>(editing ? { ...editing } : blank);
  const save = useFormSave(
    (i: UnitInput) => (editing ? api.updateUnit(editing.id, i, editing) : api.createUnit(i)),
    [keys.units],
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
          label="Code"
          description="Short and unique, e.g. CS or CAREER"
          required
          value={input.code}
          onChange={(e) => setInput({ ...input, code: e.currentTarget.value })}
          error={fieldError(save.error, "code")}
          data-testid="unit-code"
        />
        <TextInput
          label="Name"
          required
          value={input.name}
          onChange={(e) => setInput({ ...input, name: e.currentTarget.value })}
          error={fieldError(save.error, "name")}
          data-testid="unit-name"
        />
        <Select
          label="Kind"
          required
          allowDeselect={false}
          value={input.kind}
          onChange={(v) => v && setInput({ ...input, kind: v as UnitInput["kind"] })}
          data={options(unitKindLabels)}
          error={fieldError(save.error, "kind")}
        />
        <Select
          label="Part of"
          placeholder="None (a top-level unit)"
          clearable
          searchable
          value={input.parent_id === null ? null : String(input.parent_id)}
          onChange={(v) => setInput({ ...input, parent_id: v ? Number(v) : null })}
          data={units.filter((u) => u.id !== editing?.id).map((u) => ({ value: String(u.id), label: `${u.name} (${u.code})` }))}
          error={fieldError(save.error, "parent_id")}
        />
        <FormFooter error={save.error} onCancel={onDone} saving={save.isPending} label={editing ? "Save unit" : "Add unit"} testid="unit-save" />
      </Stack>
    </form>
  );
}

export function UnitsPage() {
  const units = useQuery({ queryKey: keys.units, queryFn: api.listUnits });
  const [form, setForm] = useState<{ editing: Unit | null } | null>(null);
  const [history, setHistory] = useState<Unit | null>(null);
  const all = units.data ?? [];
  const byId = new Map(all.map((u) => [u.id, u]));
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <div>
          <Title order={2}>Units</Title>
          <Text c="dimmed" size="sm">
            Colleges, schools, departments and offices that propose and approve microcredentials.
          </Text>
        </div>
        <Button onClick={() => setForm({ editing: null })} data-testid="add-unit">
          Add unit
        </Button>
      </Group>
      {units.error && <Alert color="red">{asAppError(units.error).message}</Alert>}
      <Table striped highlightOnHover data-testid="units-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Code</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Part of</Table.Th>
            <Table.Th>
              <span className="visually-hidden">Actions</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {all.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>{u.code}</Table.Td>
              <Table.Td>{u.name}</Table.Td>
              <Table.Td>{unitKindLabels[u.kind]}</Table.Td>
              <Table.Td>{u.parent_id !== null ? byId.get(u.parent_id)?.name ?? "" : "—"}</Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button size="compact-sm" variant="subtle" onClick={() => setForm({ editing: u })} aria-label={`Edit ${u.name}`}>
                    Edit
                  </Button>
                  <Button size="compact-sm" variant="subtle" onClick={() => setHistory(u)} aria-label={`History of ${u.name}`}>
                    History
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={form !== null} onClose={() => setForm(null)} title={form?.editing ? `Edit ${form.editing.name}` : "Add a unit"}>
        {form && <UnitForm editing={form.editing} units={all} onDone={() => setForm(null)} />}
      </Modal>
      <HistoryDrawer record={history && { entity: "unit", id: history.id, title: history.name }} onClose={() => setHistory(null)} />
    </Stack>
  );
}
