import { useState } from "react";
import { Alert, Anchor, Badge, Button, Card, Group, PasswordInput, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { api, fieldError, keys } from "../api";
import type { TaskKind } from "../bindings/TaskKind";

export const taskLabels: Record<TaskKind, string> = {
  review: "Review",
  sign_off: "Sign-off",
  vote: "Vote",
  condition: "Condition",
  completeness: "Completeness check",
  overdue_step: "Overdue step",
  periodic_review: "Periodic review",
  change_due: "Change due",
  expiring_awards: "Awards expiring",
  prior_learning: "Prior learning",
};

/** The acting person's signing key: created here, sealed under their passphrase. */
function KeyCard() {
  const client = useQueryClient();
  const [passphrase, setPassphrase] = useState("");
  const create = useMutation({
    mutationFn: () => api.createSigningKey(passphrase),
    onSuccess: () => {
      setPassphrase("");
      void client.invalidateQueries({ queryKey: keys.inbox });
    },
  });
  return (
    <Card withBorder padding="md" maw={560} data-testid="key-card">
      <Text fw={600}>Create your signing key</Text>
      <Text size="sm" c="dimmed" mb="sm">
        Votes, sign-offs and decisions are signed with your own key. It is kept in the workspace, sealed under a passphrase only you know.
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Group align="flex-end">
          <PasswordInput label="Passphrase" description="At least 8 characters" value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} error={fieldError(create.error, "passphrase")} w={300} data-testid="new-passphrase" />
          <Button type="submit" loading={create.isPending} data-testid="create-key">
            Create key
          </Button>
        </Group>
      </form>
    </Card>
  );
}

/** Renewing the acting person's key: the current passphrase opens the old key, which signs
 * for the new one. What the old key signed stays verified. */
function RenewKey() {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const renew = useMutation({
    mutationFn: () => api.renewSigningKey(current, next),
    onSuccess: () => {
      setCurrent("");
      setNext("");
      setOpen(false);
      void client.invalidateQueries({ queryKey: keys.inbox });
    },
  });
  return (
    <Stack gap="xs" maw={640}>
      <Group gap="sm">
        <Text size="sm" data-testid="has-key">
          Your signing key is ready.
        </Text>
        {!open && (
          <Button size="compact-sm" variant="subtle" onClick={() => setOpen(true)} data-testid="renew-key-open">
            Renew it
          </Button>
        )}
        {renew.isSuccess && (
          <Text size="sm" c="teal.9" data-testid="key-renewed">
            Renewed: your new key signs from now on.
          </Text>
        )}
      </Group>
      {open && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            renew.mutate();
          }}
        >
          <Group align="flex-end">
            <PasswordInput label="Current passphrase" value={current} onChange={(e) => setCurrent(e.currentTarget.value)} error={fieldError(renew.error, "passphrase")} w={220} data-testid="renew-current" />
            <PasswordInput label="New passphrase" description="At least 8 characters" value={next} onChange={(e) => setNext(e.currentTarget.value)} error={fieldError(renew.error, "new_passphrase")} w={220} data-testid="renew-new" />
            <Button type="submit" loading={renew.isPending} data-testid="renew-key">
              Renew key
            </Button>
            <Button variant="default" onClick={() => setOpen(false)}>
              Cancel
            </Button>
          </Group>
        </form>
      )}
    </Stack>
  );
}

/** Things to do for the acting person, as the backend lists them. */
export function InboxPage() {
  const navigate = useNavigate();
  const inbox = useQuery({ queryKey: keys.inbox, queryFn: api.inbox });
  const tasks = inbox.data?.tasks ?? [];
  return (
    <Stack gap="md">
      <div>
        <Title order={2}>Things to do</Title>
        <Text c="dimmed" size="sm">
          Reviews waiting for you, votes open to you, conditions you own, and steps that are overdue.
        </Text>
      </div>
      {inbox.data && !inbox.data.has_key && <KeyCard />}
      {inbox.data?.has_key && <RenewKey />}
      {tasks.length === 0 ? (
        <Alert color="gray" data-testid="inbox-empty">
          Nothing waits for you.
        </Alert>
      ) : (
        <Table striped data-testid="inbox-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>What</Table.Th>
              <Table.Th>Proposal</Table.Th>
              <Table.Th>Detail</Table.Th>
              <Table.Th>Due</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tasks.map((t, i) => (
              <Table.Tr key={i}>
                <Table.Td>
                  <Badge variant="filled" color={t.overdue ? "red.9" : "indigo.9"} tt="none">
                    {taskLabels[t.kind]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Anchor size="sm" onClick={() => navigate(
                        t.kind === "vote" && t.target_id !== null
                          ? `/meetings/${t.target_id}`
                          : t.kind === "periodic_review"
                            ? `/microcredentials/${t.proposal_id}`
                            : t.kind === "expiring_awards"
                              ? `/credentials?search=${encodeURIComponent(t.title)}`
                              : t.kind === "prior_learning"
                                ? `/prior-learning?claim=${t.target_id}`
                              : `/proposals/${t.proposal_id}`,
                      )}>
                    {t.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t.detail}</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm">{t.due_on ?? "—"}</Text>
                    {t.overdue && (
                      <Badge size="sm" color="red.9" variant="filled" tt="none">
                        overdue
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
