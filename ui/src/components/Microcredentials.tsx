import { useState } from "react";
import { Alert, Badge, Button, Card, Group, List, Modal, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, asAppError, fieldError, keys } from "../api";
import type { MicrocredentialStatus } from "../bindings/MicrocredentialStatus";

const statusLabels: Record<MicrocredentialStatus, string> = {
  active: "Active",
  suspended: "Suspended",
  teach_out: "Teach-out",
  retired: "Retired",
};
const statusColours: Record<MicrocredentialStatus, string> = {
  active: "teal.9",
  suspended: "orange.9",
  teach_out: "grape.9",
  retired: "gray.8",
};

/** One microcredential's life: its status and why, every version with the case that
 * approved it and its awards, the next review, and suspending or resuming issuing where the
 * backend allows it. */
function Details({ slug, onClose }: { slug: string | null; onClose: () => void }) {
  const client = useQueryClient();
  const view = useQuery({
    queryKey: keys.microcredentialView(slug ?? ""),
    queryFn: () => api.microcredential(slug ?? ""),
    enabled: slug !== null,
  });
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const done = () => {
    setReason("");
    setNote("");
    void client.invalidateQueries({ queryKey: ["microcredentials"] });
  };
  const suspend = useMutation({ mutationFn: () => api.suspendMicrocredential(slug ?? "", reason), onSuccess: done });
  const resume = useMutation({ mutationFn: () => api.resumeMicrocredential(slug ?? ""), onSuccess: done });
  const review = useMutation({ mutationFn: () => api.recordReview(slug ?? "", note), onSuccess: done });
  const m = view.data;
  const error = suspend.error ?? resume.error ?? review.error;
  return (
    <Modal opened={slug !== null} onClose={onClose} title={m?.title ?? ""} size="lg">
      {m && (
        <Stack>
          <Group gap="xs">
            <Badge color={statusColours[m.status]} data-testid="microcredential-status">
              {statusLabels[m.status]}
            </Badge>
            {m.status_since && (
              <Text size="sm">
                since {m.status_since}
                {m.status_reason ? `: ${m.status_reason}` : ""}
              </Text>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {m.slug}
            {m.last_reviewed_on ? `; last reviewed ${m.last_reviewed_on}` : ""}
          </Text>
          {m.next_review_due ? (
            <Text size="sm" fw={m.review_due ? 600 : undefined} data-testid="next-review">
              {m.review_due ? `Periodic review due since ${m.next_review_due}` : `Next periodic review due ${m.next_review_due}`}
            </Text>
          ) : (
            <Text size="sm">No review cycle set</Text>
          )}
          <Text size="sm">
            Awards per year:{" "}
            {m.figures.awards_per_year.length === 0
              ? "none yet"
              : m.figures.awards_per_year.map((y) => `${y.year}: ${y.awards}`).join(", ")}
            {m.figures.revocations.length > 0 &&
              `. Revoked: ${m.figures.revocations.map((r) => `${r.count} (${r.reason})`).join(", ")}`}
          </Text>
          <Title order={3} size="h5">
            Versions
          </Title>
          <List size="sm">
            {m.versions.map((v) => (
              <List.Item key={v.number}>
                Version {v.number}: in effect from {v.effective_from}, approved in case {v.case}; {v.awards}{" "}
                {v.awards === 1 ? "award" : "awards"}
              </List.Item>
            ))}
          </List>
          {m.may_suspend && (
            <Group align="flex-end">
              <TextInput
                label="Reason to suspend issuing"
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                error={fieldError(suspend.error, "reason")}
                style={{ flex: 1 }}
                data-testid="suspend-reason"
              />
              <Button color="orange.9" onClick={() => suspend.mutate()} loading={suspend.isPending} data-testid="suspend">
                Suspend issuing
              </Button>
            </Group>
          )}
          {m.may_resume && (
            <Group>
              <Button onClick={() => resume.mutate()} loading={resume.isPending} data-testid="resume">
                Resume issuing
              </Button>
            </Group>
          )}
          {m.may_record_review && (
            <Group align="flex-end">
              <TextInput
                label="Periodic review: what it found (renews for another cycle)"
                value={note}
                onChange={(e) => setNote(e.currentTarget.value)}
                error={fieldError(review.error, "note")}
                style={{ flex: 1 }}
                data-testid="review-note"
              />
              <Button variant="light" onClick={() => review.mutate()} loading={review.isPending} data-testid="record-review">
                Record review: renewed
              </Button>
            </Group>
          )}
          {error && !fieldError(error, "reason", "note") && <Alert color="red">{asAppError(error).message}</Alert>}
        </Stack>
      )}
    </Modal>
  );
}

/** Every microcredential after approval, with its status and the version in effect. */
export function Microcredentials() {
  const list = useQuery({ queryKey: keys.lifecycle, queryFn: api.microcredentialList });
  const [open, setOpen] = useState<string | null>(null);
  if (!list.data) return null;
  return (
    <Card withBorder padding="md">
      <Text fw={600}>Microcredentials</Text>
      <Text size="sm" c="dimmed" mb="xs">
        Each approved microcredential, what it may award now, and its versions.
      </Text>
      {list.data.length === 0 ? (
        <Text size="sm">None yet: a proposal becomes one when its review makes it active.</Text>
      ) : (
        <Table data-testid="microcredentials">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Title</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Version</Table.Th>
              <Table.Th>
                <span className="visually-hidden">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((m) => (
              <Table.Tr key={m.slug}>
                <Table.Td>{m.title}</Table.Td>
                <Table.Td>
                  <Badge color={statusColours[m.status]}>{statusLabels[m.status]}</Badge>
                </Table.Td>
                <Table.Td>v{m.version}</Table.Td>
                <Table.Td>
                  <Button size="compact-sm" variant="subtle" onClick={() => setOpen(m.slug)} aria-label={`Details of ${m.title}`}>
                    Details
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Details slug={open} onClose={() => setOpen(null)} />
    </Card>
  );
}
