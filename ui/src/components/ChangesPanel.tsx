import { Badge, Card, Group, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, keys } from "../api";
import type { ChangeKind } from "../bindings/ChangeKind";
import type { ChangeLevel } from "../bindings/ChangeLevel";
import type { Diff } from "../bindings/Diff";

export const levelLabels: Record<ChangeLevel, string> = {
  minor: "Minor change",
  major: "Major change",
  new_microcredential: "A new microcredential",
};
const kindLabels: Record<ChangeKind, string> = {
  added: "added",
  removed: "removed",
  changed: "changed",
  reworded: "reworded",
};

/** A difference as a redline: each field and list item, the text before struck through and
 * the text after underlined; and the level the triage rules give it. */
export function Redline({ diff, title }: { diff: Diff; title: string }) {
  if (diff.level === null) return null;
  return (
    <Stack gap={6}>
      <Text fw={600} size="sm">
        {title}
      </Text>
      <Group>
        <Badge color={diff.level === "minor" ? "gray.8" : "red.9"} data-testid="change-level">
          {levelLabels[diff.level]}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed">
        Decided by: {diff.deciding.join(", ")}
      </Text>
      {diff.changes.map((c, i) => (
        <div key={i}>
          <Text size="xs" fw={600}>
            {c.field} {kindLabels[c.kind]}
          </Text>
          {c.before !== null && (
            <Text size="sm" td="line-through" className="diff-before">
              <span className="visually-hidden">Before: </span>
              {c.before}
            </Text>
          )}
          {c.after !== null && (
            <Text size="sm" td="underline" className="diff-after">
              <span className="visually-hidden">After: </span>
              {c.after}
            </Text>
          )}
        </div>
      ))}
    </Stack>
  );
}

/** What a revision changed since the case's last version. */
export function ChangesPanel({ proposalId, version }: { proposalId: number; version: number }) {
  const diff = useQuery({
    queryKey: keys.proposalDiff(proposalId),
    queryFn: () => api.proposalDiff(proposalId),
    enabled: version > 0,
  });
  const d = diff.data;
  if (!d || d.diff.level === null) return null;
  return (
    <Card withBorder padding="sm" data-testid="changes-panel">
      <Redline diff={d.diff} title={d.to === null ? `Changes since version ${d.from}` : `Version ${d.from} to ${d.to}`} />
    </Card>
  );
}
