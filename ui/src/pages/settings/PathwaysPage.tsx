import { useState } from "react";
import { Button, Card, Group, Modal, MultiSelect, NumberInput, SegmentedControl, Stack, Text, TextInput, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { FormFooter, useFormSave } from "../../components/FormFooter";
import { api, fieldError, keys } from "../../api";
import type { Pathway } from "../../bindings/Pathway";
import type { PathwayPart } from "../../bindings/PathwayPart";

const partKey = (p: PathwayPart) => `${p.kind}:${p.id}`;
const parsePart = (k: string): PathwayPart => {
  const [kind, id] = k.split(":");
  return kind === "pathway" ? { kind: "pathway", id: Number(id) } : { kind: "credential", id: Number(id) };
};

/** A pathway drawn as a graph: its parts on the left, each joined to the credential they stack into. */
function PathwayGraph({ pathway, name }: { pathway: Pathway; name: (p: PathwayPart) => string }) {
  const row = 34;
  const height = Math.max(pathway.parts.length * row, row) + 10;
  const targetY = height / 2;
  const rule = pathway.rule.kind === "all" ? "all of" : `${pathway.rule.count} of`;
  return (
    <svg width="100%" viewBox={`0 0 640 ${height}`} role="img" aria-label={`${pathway.name}: ${rule} ${pathway.parts.map(name).join(", ")}`}>
      {pathway.parts.map((p, i) => {
        const y = 5 + i * row + row / 2;
        return (
          <g key={partKey(p)}>
            <rect x={2} y={y - 13} width={260} height={26} rx={5} fill="var(--mantine-color-indigo-light)" stroke="var(--mantine-color-indigo-filled)" strokeWidth={p.kind === "pathway" ? 2 : 1} strokeDasharray={p.kind === "pathway" ? "4 2" : undefined} />
            <text x={12} y={y + 4} fontSize={13} fill="var(--mantine-color-text)">
              {name(p)}
            </text>
            <path d={`M262 ${y} C 330 ${y}, 330 ${targetY}, 400 ${targetY}`} fill="none" stroke="var(--mantine-color-dimmed)" strokeWidth={1.5} />
          </g>
        );
      })}
      <rect x={400} y={targetY - 18} width={236} height={36} rx={6} fill="var(--mantine-color-indigo-filled)" />
      <text x={410} y={targetY - 2} fontSize={13} fontWeight={600} fill="white">
        {pathway.name}
      </text>
      <text x={410} y={targetY + 12} fontSize={11} fill="white">
        {rule} {pathway.parts.length}
      </text>
    </svg>
  );
}

function PathwayForm({ editing, options, onDone }: { editing: Pathway; options: { value: string; label: string }[]; onDone: () => void }) {
  const [p, setP] = useState<Pathway>(editing);
  const save = useFormSave(api.putPathway, [keys.pathways], onDone);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(p);
      }}
    >
      <Stack>
        <TextInput label="Name of the larger credential" required value={p.name} onChange={(e) => setP({ ...p, name: e.currentTarget.value })} error={fieldError(save.error, "name")} data-testid="pathway-name" />
        <MultiSelect
          label="Parts"
          searchable
          value={p.parts.map(partKey)}
          onChange={(v) => setP({ ...p, parts: v.map(parsePart) })}
          data={options.filter((o) => o.value !== `pathway:${p.id}`)}
          error={fieldError(save.error, "parts")}
          data-testid="pathway-parts"
        />
        <Group align="flex-end">
          <SegmentedControl
            value={p.rule.kind}
            onChange={(v) => setP({ ...p, rule: v === "all" ? { kind: "all" } : { kind: "at_least", count: 1 } })}
            data={[{ value: "all", label: "All of them" }, { value: "at_least", label: "At least" }]}
          />
          {p.rule.kind === "at_least" && (
            <NumberInput aria-label="How many parts" min={1} value={p.rule.count} onChange={(v) => setP({ ...p, rule: { kind: "at_least", count: typeof v === "number" ? v : 1 } })} w={90} error={fieldError(save.error, "rule")} />
          )}
        </Group>
        <FormFooter error={save.error} onCancel={onDone} saving={save.isPending} label="Save pathway" testid="pathway-save" />
      </Stack>
    </form>
  );
}

/** Settings > Pathways: which credentials stack into larger ones. */
export function PathwaysPage() {
  const pathways = useQuery({ queryKey: keys.pathways, queryFn: api.pathways });
  const proposals = useQuery({ queryKey: [...keys.proposals, "all"], queryFn: () => api.listProposals({ kind: null, status: null, unit_id: null, category: null, level: null, credit_status: null, search: null, sort: null, limit: 1000, offset: 0 }) });
  const [editing, setEditing] = useState<Pathway | null>(null);
  const titles = new Map((proposals.data?.rows ?? []).map((r) => [r.id, r.title]));
  const names = new Map((pathways.data ?? []).map((p) => [p.id, p.name]));
  const name = (p: PathwayPart) => (p.kind === "credential" ? titles.get(p.id) ?? `proposal ${p.id}` : names.get(p.id) ?? `pathway ${p.id}`);
  const options = [
    ...(proposals.data?.rows ?? []).filter((r) => r.status !== "withdrawn").map((r) => ({ value: `credential:${r.id}`, label: r.title })),
    ...(pathways.data ?? []).map((p) => ({ value: `pathway:${p.id}`, label: `Pathway: ${p.name}` })),
  ];
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <div>
          <Title order={2}>Stackable pathways</Title>
          <Text c="dimmed" size="sm">
            Microcredentials that stack into larger credentials. Pathways may nest; a pathway never contains itself.
          </Text>
        </div>
        <Button onClick={() => setEditing({ id: 0, name: "", rule: { kind: "all" }, parts: [] })} data-testid="new-pathway">
          New pathway
        </Button>
      </Group>
      {(pathways.data ?? []).map((p) => (
        <Card key={p.id} withBorder padding="md" data-testid="pathway-card">
          <Group justify="space-between" mb="xs">
            <Text fw={600}>{p.name}</Text>
            <Button size="compact-sm" variant="subtle" onClick={() => setEditing(p)} aria-label={`Edit ${p.name}`}>
              Edit
            </Button>
          </Group>
          <PathwayGraph pathway={p} name={name} />
        </Card>
      ))}
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing?.id ? `Edit ${editing.name}` : "New pathway"} size="lg">
        {editing && <PathwayForm editing={editing} options={options} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}
