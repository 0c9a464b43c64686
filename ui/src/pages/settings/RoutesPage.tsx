import { useState } from "react";
import { ActionIcon, Alert, Button, Card, Checkbox, Group, Modal, MultiSelect, NumberInput, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IconArrowDown, IconArrowUp, IconTrash } from "@tabler/icons-react";
import { api, asAppError, keys } from "../../api";
import type { RouteCase } from "../../bindings/RouteCase";
import type { Role } from "../../bindings/Role";
import type { Route } from "../../bindings/Route";
import type { RouteStep } from "../../bindings/RouteStep";
import type { StepActors } from "../../bindings/StepActors";
import type { StepKind } from "../../bindings/StepKind";
import { roleLabels } from "../../labels";

const routesKey = ["routes"] as const;

function describe(step: RouteStep, names: Map<number, string>): string {
  const k = step.kind;
  switch (k.kind) {
    case "committee":
      return k.information_only ? "committee, for information" : "committee vote";
    case "objection_window":
      return `objection window of ${k.days} days`;
    case "sign_off": {
      const a = k.actors;
      const who =
        a.kind === "role" ? roleLabels[a.role] : a.kind === "person" ? names.get(a.person_id) ?? "a person" : a.kind === "people" ? a.person_ids.map((p) => names.get(p) ?? "?").join(", ") : a.kind === "unit_approver" ? "the unit's approver" : "the college's approver (dean)";
      const rule = k.participation.kind === "one" ? "one decision" : k.participation.kind === "all" ? "all must approve" : `${k.participation.percent}% must approve`;
      return `sign-off by ${who}, ${rule}`;
    }
  }
}

const actorKinds = [
  { value: "unit_approver", label: "The unit's approver" },
  { value: "parent_unit_approver", label: "The college's approver (dean)" },
  { value: "role", label: "Anyone with a role" },
  { value: "people", label: "Named people" },
];

function StepEditor({ step, onChange, people }: { step: RouteStep; onChange: (s: RouteStep) => void; people: { value: string; label: string }[] }) {
  const k = step.kind;
  const setKind = (kind: StepKind) => onChange({ ...step, kind });
  return (
    <Stack gap="xs">
      <Group align="flex-end">
        <TextInput label="Step" value={step.name} onChange={(e) => onChange({ ...step, name: e.currentTarget.value })} w={200} />
        <Select
          label="Kind"
          value={k.kind}
          allowDeselect={false}
          onChange={(v) =>
            setKind(v === "committee" ? { kind: "committee", information_only: false } : v === "objection_window" ? { kind: "objection_window", days: 10 } : { kind: "sign_off", actors: { kind: "unit_approver" }, participation: { kind: "one" } })
          }
          data={[
            { value: "sign_off", label: "Sign-off" },
            { value: "committee", label: "Committee" },
            { value: "objection_window", label: "Objection window" },
          ]}
          w={170}
        />
        <NumberInput label="Service days" min={0} value={step.service_days} onChange={(v) => typeof v === "number" && onChange({ ...step, service_days: v })} w={120} />
      </Group>
      {k.kind === "committee" && <Checkbox label="An information item (no vote)" checked={k.information_only} onChange={(e) => setKind({ kind: "committee", information_only: e.currentTarget.checked })} />}
      {k.kind === "objection_window" && <NumberInput label="Days posted for objections" min={1} value={k.days} onChange={(v) => typeof v === "number" && setKind({ kind: "objection_window", days: v })} w={200} />}
      {k.kind === "sign_off" && (
        <Group align="flex-end">
          <Select
            label="Who acts"
            value={k.actors.kind === "person" ? "people" : k.actors.kind}
            allowDeselect={false}
            onChange={(v) => {
              const actors: StepActors = v === "role" ? { kind: "role", role: "final_approver" } : v === "people" ? { kind: "people", person_ids: [] } : v === "parent_unit_approver" ? { kind: "parent_unit_approver" } : { kind: "unit_approver" };
              setKind({ ...k, actors });
            }}
            data={actorKinds}
            w={230}
          />
          {k.actors.kind === "role" && (
            <Select label="Role" value={k.actors.role} allowDeselect={false} onChange={(v) => v && setKind({ ...k, actors: { kind: "role", role: v as Role } })} data={Object.entries(roleLabels).map(([value, label]) => ({ value, label }))} w={200} />
          )}
          {(k.actors.kind === "people" || k.actors.kind === "person") && (
            <MultiSelect
              label="People"
              searchable
              data={people}
              value={(k.actors.kind === "people" ? k.actors.person_ids : [k.actors.person_id]).map(String)}
              onChange={(v) => setKind({ ...k, actors: { kind: "people", person_ids: v.map(Number) } })}
              w={280}
            />
          )}
          <Select
            label="Participation"
            value={k.participation.kind}
            allowDeselect={false}
            onChange={(v) => setKind({ ...k, participation: v === "all" ? { kind: "all" } : v === "percent" ? { kind: "percent", percent: 50 } : { kind: "one" } })}
            data={[
              { value: "one", label: "One decision" },
              { value: "all", label: "All must approve" },
              { value: "percent", label: "A percentage" },
            ]}
            w={170}
          />
          {k.participation.kind === "percent" && <NumberInput label="Percent" min={1} max={100} value={k.participation.percent} onChange={(v) => typeof v === "number" && setKind({ ...k, participation: { kind: "percent", percent: v } })} w={100} />}
        </Group>
      )}
    </Stack>
  );
}

/** Settings > Routes: the review routes, chosen per proposal by their conditions. */

const routeCaseLabels: Record<RouteCase, string> = {
  new: "new microcredentials",
  minor_change: "minor changes",
  major_change: "major changes",
  termination: "terminations",
};
export function RoutesPage() {
  const client = useQueryClient();
  const routes = useQuery({ queryKey: routesKey, queryFn: api.routes });
  const taxonomy = useQuery({ queryKey: keys.taxonomy, queryFn: api.taxonomy });
  const people = useQuery({ queryKey: keys.people, queryFn: api.listPeople });
  const [editing, setEditing] = useState<Route | null>(null);
  const save = useMutation({
    mutationFn: (r: Route) => api.putRoute(r),
    onSuccess: () => {
      setEditing(null);
      void client.invalidateQueries({ queryKey: routesKey });
    },
  });
  const names = new Map((people.data ?? []).map((p) => [p.id, p.name]));
  const peopleOptions = (people.data ?? []).map((p) => ({ value: String(p.id), label: p.name }));
  const terms = (facet: string) => (taxonomy.data?.terms ?? []).filter((t) => t.facet === facet).map((t) => ({ value: t.code, label: t.label }));
  const error = save.error ? asAppError(save.error) : null;
  const setSteps = (steps: RouteStep[]) => editing && setEditing({ ...editing, steps });
  return (
    <Stack gap="md" maw={1000}>
      <Group justify="space-between">
        <div>
          <Title order={2}>Review routes</Title>
          <Text c="dimmed" size="sm">
            After the completeness check, a proposal follows the first route whose conditions it meets.
          </Text>
        </div>
        <Button onClick={() => setEditing({ id: 0, name: "", position: (routes.data?.length ?? 0) + 1, when: { credit_status: null, academic_level: null, category: null, case: null }, steps: [] })} data-testid="new-route">
          New route
        </Button>
      </Group>
      {(routes.data ?? []).map((r) => (
        <Card key={`${r.id}-${r.name}`} withBorder padding="md" data-testid="route-card">
          <Group justify="space-between">
            <Text fw={600}>
              {r.position}. {r.name}
            </Text>
            <Button size="xs" variant="light" onClick={() => setEditing(structuredClone(r))}>
              Edit
            </Button>
          </Group>
          <Text size="sm" c="dimmed">
            When: {[r.when.case ? routeCaseLabels[r.when.case] : null, r.when.credit_status, r.when.academic_level, r.when.category].filter(Boolean).join(", ") || "any case"}
          </Text>
          <ol style={{ margin: "6px 0 0", paddingLeft: 20 }}>
            {r.steps.map((s, i) => (
              <li key={i}>
                <Text size="sm">
                  {s.name}: {describe(s, names)} · {s.service_days} days
                </Text>
              </li>
            ))}
          </ol>
        </Card>
      ))}
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing?.id ? `Edit ${editing.name}` : "New route"} size="xl">
        {editing && (
          <Stack>
            <Group align="flex-end">
              <TextInput label="Name" value={editing.name} onChange={(e) => setEditing({ ...editing, name: e.currentTarget.value })} w={240} error={error?.fields.find((f) => f.field === "name")?.message} />
              <NumberInput label="Tried in order" min={1} value={editing.position} onChange={(v) => typeof v === "number" && setEditing({ ...editing, position: v })} w={130} />
            </Group>
            <Group>
              <Select label="For cases of the kind" placeholder="Any" clearable data={Object.entries(routeCaseLabels).map(([value, label]) => ({ value, label }))} value={editing.when.case} onChange={(v) => setEditing({ ...editing, when: { ...editing.when, case: (v as RouteCase | null) ?? null } })} w={200} />
              <Select label="When credit status is" placeholder="Any" clearable data={terms("credit_status")} value={editing.when.credit_status} onChange={(v) => setEditing({ ...editing, when: { ...editing.when, credit_status: v } })} w={200} />
              <Select label="When category is" placeholder="Any" clearable data={terms("category")} value={editing.when.category} onChange={(v) => setEditing({ ...editing, when: { ...editing.when, category: v } })} w={200} />
              <Select
                label="When academic level is"
                placeholder="Any"
                clearable
                data={[
                  { value: "undergraduate", label: "Undergraduate" },
                  { value: "graduate", label: "Graduate" },
                  { value: "non_degree", label: "Non-degree" },
                ]}
                value={editing.when.academic_level}
                onChange={(v) => setEditing({ ...editing, when: { ...editing.when, academic_level: v as Route["when"]["academic_level"] } })}
                w={200}
              />
            </Group>
            {editing.steps.map((s, i) => (
              <Card key={i} withBorder padding="sm">
                <Group align="flex-start" wrap="nowrap">
                  <div style={{ flex: 1 }}>
                    <StepEditor step={s} people={peopleOptions} onChange={(x) => setSteps(editing.steps.map((y, j) => (j === i ? x : y)))} />
                  </div>
                  <Stack gap={2}>
                    <ActionIcon variant="subtle" aria-label="Move the step up" disabled={i === 0} onClick={() => { const n = [...editing.steps]; [n[i - 1], n[i]] = [n[i]!, n[i - 1]!]; setSteps(n); }}>
                      <IconArrowUp size={16} />
                    </ActionIcon>
                    <ActionIcon variant="subtle" aria-label="Move the step down" disabled={i === editing.steps.length - 1} onClick={() => { const n = [...editing.steps]; [n[i], n[i + 1]] = [n[i + 1]!, n[i]!]; setSteps(n); }}>
                      <IconArrowDown size={16} />
                    </ActionIcon>
                    <ActionIcon variant="subtle" color="red" aria-label="Remove the step" onClick={() => setSteps(editing.steps.filter((_, j) => j !== i))}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Stack>
                </Group>
              </Card>
            ))}
            <Button variant="light" w="fit-content" onClick={() => setSteps([...editing.steps, { name: "", kind: { kind: "sign_off", actors: { kind: "unit_approver" }, participation: { kind: "one" } }, service_days: 14 }])}>
              Add a step
            </Button>
            {error && (
              <Alert color="red" title="Not saved">
                {error.fields.length ? error.fields.map((f, i) => <div key={i}>{f.field}: {f.message}</div>) : error.message}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button onClick={() => save.mutate(editing)} loading={save.isPending} data-testid="route-save">
                Save route
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
