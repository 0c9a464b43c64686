import { ConflictAlert } from "../../components/ConflictAlert";
import { useEffect, useRef, useState } from "react";
import { Alert, Button, Card, Group, NumberInput, Select, Stack, Switch, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, asAppError, keys } from "../../api";
import type { PolicySet } from "../../bindings/PolicySet";
import type { Rule } from "../../bindings/Rule";
import type { RuleKind } from "../../bindings/RuleKind";

/** The number parameters of each kind of rule, as the backend defines them. */
function Parameters({ kind, onChange }: { kind: RuleKind; onChange: (k: RuleKind) => void }) {
  const num = (label: string, value: number, set: (v: number) => void) => (
    <NumberInput label={label} value={value} onChange={(v) => typeof v === "number" && set(v)} w={140} min={0} />
  );
  switch (kind.kind) {
    case "credit_range":
      return (
        <Group>
          {num("Minimum credits", kind.min, (min) => onChange({ ...kind, min }))}
          {num("Maximum credits", kind.max, (max) => onChange({ ...kind, max }))}
        </Group>
      );
    case "minimum_outcomes":
      return num("Outcomes", kind.count, (count) => onChange({ ...kind, count }));
    case "review_cycle":
      return (
        <Group>
          {num("Minimum years", kind.min_years, (min_years) => onChange({ ...kind, min_years }))}
          {num("Maximum years", kind.max_years, (max_years) => onChange({ ...kind, max_years }))}
        </Group>
      );
    default:
      return null;
  }
}

/** The largest file a proposal may attach (a setting of the institution, audited). */
function AttachmentLimit() {
  const client = useQueryClient();
  const limit = useQuery({ queryKey: keys.attachmentLimit, queryFn: api.attachmentLimit });
  const [mb, setMb] = useState<number | null>(null);
  const save = useMutation({
    mutationFn: (value: number) => api.setAttachmentLimit(Math.round(value * 1024 * 1024)),
    onSuccess: (bytes) => {
      client.setQueryData(keys.attachmentLimit, bytes);
      setMb(null);
    },
  });
  if (limit.data === undefined) return null;
  const shown = mb ?? Math.round((limit.data / (1024 * 1024)) * 100) / 100;
  return (
    <Card withBorder padding="md">
      <Text fw={600}>Attachments</Text>
      <Text size="sm" c="dimmed" mb="xs">
        Proposals attach PDF, office documents, images and text, kept inside the workspace. Programs are never accepted.
      </Text>
      <Group align="flex-end">
        <NumberInput label="Largest file (MB)" value={shown} onChange={(v) => setMb(typeof v === "number" ? v : null)} min={0} decimalScale={2} w={180} error={save.error ? (asAppError(save.error).fields[0]?.message ?? asAppError(save.error).message) : undefined} data-testid="attachment-limit" />
        <Button variant="light" onClick={() => save.mutate(shown)} loading={save.isPending} disabled={mb === null}>
          Save limit
        </Button>
      </Group>
    </Card>
  );
}

/** Settings > Policies: the rules proposals are checked against, live and on submit. */
export function PoliciesPage() {
  const client = useQueryClient();
  const policy = useQuery({ queryKey: keys.policy, queryFn: api.policy });
  const [draft, setDraft] = useState<PolicySet | null>(null);
  // The policies as the page read them: a save over a change another seat made since is refused.
  const seen = useRef<PolicySet | null>(null);
  useEffect(() => {
    if (policy.data && !draft) {
      seen.current = policy.data;
      setDraft(policy.data);
    }
  }, [policy.data, draft]);
  const save = useMutation({
    mutationFn: (p: PolicySet) => api.setPolicy(p, seen.current),
    onSuccess: (p) => {
      seen.current = p;
      client.setQueryData(keys.policy, p);
      void client.invalidateQueries({ queryKey: ["check"] });
    },
  });
  if (!draft) return null;
  const setRule = (i: number, r: Rule) => setDraft({ rules: draft.rules.map((x, j) => (j === i ? r : x)) });
  const error = save.error ? asAppError(save.error) : null;
  return (
    <Stack gap="md" maw={900}>
      <div>
        <Title order={2}>Policies</Title>
        <Text c="dimmed" size="sm">
          Checked while a proposal is drafted and again when it is submitted. Blocking rules stop submission.
        </Text>
      </div>
      {draft.rules.map((r, i) => (
        <Card key={r.id} withBorder padding="md">
          <Group justify="space-between" align="flex-start">
            <div>
              <Text fw={600}>{r.description}</Text>
              <Text size="xs" c="dimmed">
                {r.id}
              </Text>
            </div>
            <Group>
              <Select aria-label={`Severity of ${r.id}`} value={r.severity} onChange={(v) => v && setRule(i, { ...r, severity: v as Rule["severity"] })} data={[{ value: "blocking", label: "Blocking" }, { value: "warning", label: "Warning" }]} w={130} allowDeselect={false} />
              <Switch aria-label={`Enable ${r.id}`} label="On" checked={r.enabled} onChange={(e) => setRule(i, { ...r, enabled: e.currentTarget.checked })} />
            </Group>
          </Group>
          <Parameters kind={r.rule} onChange={(rule) => setRule(i, { ...r, rule })} />
        </Card>
      ))}
      {error?.kind === "conflict" ? (
        <ConflictAlert
          message={error.message}
          reload="Reload the policies"
          testid="reload-policies"
          onReload={async () => {
            await client.refetchQueries({ queryKey: keys.policy });
            save.reset();
            setDraft(null);
          }}
        />
      ) : (
        error && (
          <Alert color="red" title="Not saved">
            {error.fields.length ? error.fields.map((f, i) => <div key={i}>{f.message}</div>) : error.message}
          </Alert>
        )
      )}
      {save.isSuccess && !save.isPending && <Text c="teal.8" size="sm">Saved.</Text>}
      <Group>
        <Button onClick={() => save.mutate(draft)} loading={save.isPending}>
          Save policies
        </Button>
      </Group>
      <AttachmentLimit />
    </Stack>
  );
}
