import { useState } from "react";
import { Badge, Button, Card, Group, List, Modal, Stack, Text, Textarea, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, asAppError, keys } from "../api";
import { SignDialog } from "./SignDialog";

type Signing = { kind: "approve" } | { kind: "revise" } | { kind: "condition"; id: number; text: string };

/** Where a proposal is on its review route, as the backend reports it, and the acts the
 * acting person can take there (the backend decides whether they may). */
export function ReviewPanel({ proposalId }: { proposalId: number }) {
  const client = useQueryClient();
  const review = useQuery({ queryKey: keys.review(proposalId), queryFn: () => api.review(proposalId) });
  const [signing, setSigning] = useState<Signing | null>(null);
  const [comment, setComment] = useState("");
  const act = useMutation({
    mutationFn: (passphrase: string) => {
      if (!signing) throw new Error("nothing to sign");
      if (signing.kind === "condition") return api.meetCondition(signing.id, comment, passphrase);
      return api.signOff(proposalId, signing.kind === "approve", comment, passphrase);
    },
    onSuccess: (r) => {
      client.setQueryData(keys.review(proposalId), r);
      void client.invalidateQueries({ queryKey: keys.proposal(proposalId) });
      setSigning(null);
      setComment("");
    },
  });
  const [conflict, setConflict] = useState<string | null>(null);
  const declare = useMutation({
    mutationFn: (reason: string) => api.declareConflict(proposalId, reason),
    onSuccess: () => {
      setConflict(null);
      void client.invalidateQueries({ queryKey: keys.review(proposalId) });
    },
  });
  const open = (s: Signing) => {
    act.reset();
    setComment("");
    setSigning(s);
  };
  const r = review.data;
  if (!r || (!r.route && r.conditions.length === 0)) return null;
  return (
    <Card withBorder padding="md" data-testid="review-panel">
      <Title order={3} size="h4" mb={4}>
        Review
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        Route: {r.route ?? "—"}
      </Text>
      <List size="sm" spacing={4} data-testid="review-steps">
        {r.steps.map((s, i) => (
          <List.Item key={i}>
            <Text span fw={500} size="sm">
              {s.name}
            </Text>{" "}
            <Text span size="xs" c="dimmed">
              {s.days} day{s.days === 1 ? "" : "s"}
            </Text>{" "}
            {s.left_at ? (
              <Badge size="xs" color="teal.9" variant="filled">
                {s.outcome}
              </Badge>
            ) : (
              <Badge size="xs" color={s.overdue ? "red.9" : "blue.9"} variant="filled">
                {s.overdue ? `overdue since ${s.due_on}` : `due ${s.due_on}`}
              </Badge>
            )}
          </List.Item>
        ))}
      </List>
      {r.current && (
        <Text size="sm" mt="xs" data-testid="review-current">
          Now: {r.current}, for {r.may_act.join(", ") || "nobody yet"}
        </Text>
      )}
      {r.signs_off && r.may_act.length > 0 && (
        <Group gap="xs" mt="xs">
          <Button size="xs" onClick={() => open({ kind: "approve" })} data-testid="sign-off">
            Sign off
          </Button>
          <Button size="xs" variant="default" onClick={() => open({ kind: "revise" })} data-testid="request-revision">
            Return for revision
          </Button>
        </Group>
      )}
      {r.conditions.length > 0 && (
        <Stack gap={4} mt="sm" data-testid="conditions">
          <Text fw={600} size="sm">
            Conditions
          </Text>
          {r.conditions.map((c) => (
            <Group key={c.id} justify="space-between" wrap="nowrap" gap="xs">
              <Text size="sm">
                {c.text} <Text span size="xs" c="dimmed">({c.owner}, due {c.due_on})</Text>{" "}
                {c.met_at ? (
                  <Badge size="xs" color="teal.9" variant="filled">
                    met
                  </Badge>
                ) : c.overdue ? (
                  <Badge size="xs" color="red.9" variant="filled">
                    overdue
                  </Badge>
                ) : null}
              </Text>
              {!c.met_at && (
                <Button size="compact-xs" variant="light" onClick={() => open({ kind: "condition", id: c.id, text: c.text })} data-testid={`meet-condition-${c.id}`}>
                  Mark met
                </Button>
              )}
            </Group>
          ))}
        </Stack>
      )}
      {r.recused.length > 0 && (
        <Text size="xs" c="dimmed" mt="xs">
          Recused: {r.recused.join("; ")}
        </Text>
      )}
      {r.current && (
        <Button size="compact-xs" variant="subtle" mt="xs" onClick={() => setConflict("")}>
          Declare a conflict of interest
        </Button>
      )}
      <Modal opened={conflict !== null} onClose={() => setConflict(null)} title="Declare a conflict of interest">
        <Stack>
          <Textarea label="What is the conflict?" required autosize minRows={2} value={conflict ?? ""} onChange={(e) => setConflict(e.currentTarget.value)} />
          <Text size="xs" c="dimmed">
            You will be recused: you will not vote on this proposal.
          </Text>
          {declare.error && <Text c="red" size="sm">{asAppError(declare.error).fields[0]?.message ?? asAppError(declare.error).message}</Text>}
          <Button onClick={() => declare.mutate(conflict ?? "")} loading={declare.isPending}>
            Declare and recuse myself
          </Button>
        </Stack>
      </Modal>
      <SignDialog
        opened={signing !== null}
        title={signing?.kind === "condition" ? `Condition: ${signing.text}` : signing?.kind === "revise" ? "Return for revision" : `Sign off: ${r.current ?? ""}`}
        action={signing?.kind === "condition" ? "Mark met and sign" : signing?.kind === "revise" ? "Return and sign" : "Sign off"}
        pending={act.isPending}
        error={act.error}
        onClose={() => setSigning(null)}
        onSign={(p) => act.mutate(p)}
      >
        {signing?.kind !== "approve" && (
          <Textarea
            label={signing?.kind === "condition" ? "How was it met?" : "What must be revised?"}
            required
            autosize
            minRows={2}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            data-testid="sign-comment"
          />
        )}
      </SignDialog>
    </Card>
  );
}
