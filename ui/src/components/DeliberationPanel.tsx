import { useState } from "react";
import { Alert, Anchor, Badge, Button, Card, Group, Modal, NumberInput, Select, Stack, Table, Text, Textarea, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, asAppError, keys } from "../api";
import type { CommentView } from "../bindings/CommentView";
import type { Deliberation } from "../bindings/Deliberation";
import type { ReviewerRole } from "../bindings/ReviewerRole";
import type { Score } from "../bindings/Score";
import type { Visibility } from "../bindings/Visibility";
import { proposalFieldLabels } from "../labels";

function problem(e: unknown) {
  const a = asAppError(e);
  return a.fields.length ? a.fields.map((f) => f.message).join("; ") : a.message;
}

const fieldOptions = [{ value: "general", label: "The proposal as a whole" }, ...Object.entries(proposalFieldLabels).map(([value, label]) => ({ value, label }))];

function Comment({ c, replies, onReply, onEdit, me }: { c: CommentView; replies: CommentView[]; onReply: (c: CommentView) => void; onEdit: (c: CommentView) => void; me: number | undefined }) {
  const [history, setHistory] = useState(false);
  return (
    <Stack gap={2} pl={c.parent_id !== null ? "lg" : 0} data-testid="comment">
      <Group gap={6}>
        <Text size="sm" fw={600}>
          {c.author}
        </Text>
        <Text size="xs" c="dimmed">
          {new Date(c.created_at).toLocaleString()}
        </Text>
        {c.visibility === "committee" && (
          <Badge size="xs" color="gray.7" variant="filled">
            internal
          </Badge>
        )}
        {c.earlier.length > 0 && (
          <Anchor size="xs" onClick={() => setHistory(!history)}>
            edited ({c.earlier.length})
          </Anchor>
        )}
      </Group>
      <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
        {c.text}
      </Text>
      {history &&
        c.earlier.map((e, i) => (
          <Text key={i} size="xs" c="dimmed" style={{ whiteSpace: "pre-wrap" }}>
            Earlier ({new Date(e.at).toLocaleString()}): {e.text}
          </Text>
        ))}
      <Group gap="xs">
        {c.parent_id === null && (
          <Anchor size="xs" onClick={() => onReply(c)}>
            Reply
          </Anchor>
        )}
        {me === c.author_id && (
          <Anchor size="xs" onClick={() => onEdit(c)}>
            Edit
          </Anchor>
        )}
      </Group>
      {replies.map((r) => (
        <Comment key={r.id} c={r} replies={[]} onReply={onReply} onEdit={onEdit} me={me} />
      ))}
    </Stack>
  );
}

/** Reviewers with their rubric scores, and the comments on a proposal, as the backend lets
 * the acting person see them. */
export function DeliberationPanel({ proposalId, me }: { proposalId: number; me: number | undefined }) {
  const client = useQueryClient();
  const d = useQuery({ queryKey: keys.deliberation(proposalId), queryFn: () => api.deliberation(proposalId) });
  const committee = useQuery({ queryKey: keys.committee, queryFn: api.committee, enabled: d.data?.may_assign ?? false });
  const done = (v: Deliberation) => client.setQueryData(keys.deliberation(proposalId), v);
  const [field, setField] = useState<string | null>(null);
  const [visibility, setVisibility] = useState<Visibility>("proposer");
  const [text, setText] = useState("");
  const [replyTo, setReplyTo] = useState<CommentView | null>(null);
  const [editing, setEditing] = useState<CommentView | null>(null);
  const [editText, setEditText] = useState("");
  const [reviewer, setReviewer] = useState<string | null>(null);
  const [role, setRole] = useState<ReviewerRole>("primary");
  const [scoring, setScoring] = useState<Score[] | null>(null);
  const comment = useMutation({
    mutationFn: () => api.addComment(proposalId, field ?? "general", visibility, replyTo?.id ?? null, text),
    onSuccess: (v) => {
      done(v);
      setText("");
      setReplyTo(null);
    },
  });
  const edit = useMutation({
    mutationFn: () => api.editComment(proposalId, editing?.id ?? 0, editText),
    onSuccess: (v) => {
      done(v);
      setEditing(null);
    },
  });
  const assign = useMutation({ mutationFn: () => api.assignReviewer(proposalId, Number(reviewer), role), onSuccess: done });
  const score = useMutation({
    mutationFn: () => api.submitScores(proposalId, scoring ?? []),
    onSuccess: (v) => {
      done(v);
      setScoring(null);
    },
  });
  const v = d.data;
  if (!v) return null;
  const mine = v.reviewers.find((r) => r.person_id === me);
  const threads = v.comments.filter((c) => c.parent_id === null);
  return (
    <Card withBorder padding="md" data-testid="deliberation">
      <Title order={3} size="h4" mb="xs">
        Review and comments
      </Title>
      {v.sees_internal && (
        <Stack gap="xs" mb="md">
          <Text fw={600} size="sm">
            Reviewers
          </Text>
          {v.reviewers.length === 0 ? (
            <Text size="sm" c="dimmed">
              None assigned yet.
            </Text>
          ) : (
            <Table>
              <Table.Tbody>
                {v.reviewers.map((r) => (
                  <Table.Tr key={r.person_id}>
                    <Table.Td>{r.name}</Table.Td>
                    <Table.Td>{r.role}</Table.Td>
                    <Table.Td>{r.total === null ? "not scored yet" : `${r.total} of ${v.rubric.scale_max * v.rubric.criteria.length}`}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {v.may_assign && (
            <Group align="flex-end">
              <Select label="Assign a reviewer" data={(committee.data ?? []).map((m) => ({ value: String(m.person.id), label: m.person.name }))} value={reviewer} onChange={setReviewer} w={220} />
              <Select label="As" data={[{ value: "primary", label: "Primary" }, { value: "secondary", label: "Secondary" }]} value={role} onChange={(x) => x && setRole(x as ReviewerRole)} allowDeselect={false} w={130} />
              <Button variant="light" onClick={() => assign.mutate()} disabled={!reviewer} loading={assign.isPending}>
                Assign
              </Button>
            </Group>
          )}
          {assign.error && <Text c="red" size="sm">{problem(assign.error)}</Text>}
          {mine && (
            <Button size="xs" w="fit-content" onClick={() => setScoring(mine.scores ?? v.rubric.criteria.map((c) => ({ criterion: c.key, score: v.rubric.scale_min, comment: "" })))} data-testid="score-proposal">
              {mine.scores ? "Change my scores" : "Score this proposal"}
            </Button>
          )}
        </Stack>
      )}
      <Stack gap="sm">
        {threads.length === 0 && (
          <Text size="sm" c="dimmed">
            No comments yet.
          </Text>
        )}
        {threads.map((t) => (
          <Stack key={t.id} gap={2}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              {t.field === "general" ? "The proposal as a whole" : proposalFieldLabels[t.field] ?? t.field}
            </Text>
            <Comment c={t} replies={v.comments.filter((c) => c.parent_id === t.id)} onReply={setReplyTo} onEdit={(c) => { setEditing(c); setEditText(c.text); }} me={me} />
          </Stack>
        ))}
      </Stack>
      <Stack gap="xs" mt="md">
        {replyTo ? (
          <Text size="sm">
            Replying to {replyTo.author} · <Anchor size="sm" onClick={() => setReplyTo(null)}>cancel</Anchor>
          </Text>
        ) : (
          <Group grow>
            <Select label="About" placeholder="The proposal as a whole" data={fieldOptions} value={field} onChange={setField} searchable clearable data-testid="comment-field" />
            <Select
              label="Seen by"
              data={[{ value: "proposer", label: "The committee and the proposer" }, ...(v.sees_internal ? [{ value: "committee", label: "The committee only" }] : [])]}
              value={visibility}
              onChange={(x) => x && setVisibility(x as Visibility)}
              allowDeselect={false}
            />
          </Group>
        )}
        <Textarea label="Comment" autosize minRows={2} value={text} onChange={(e) => setText(e.currentTarget.value)} data-testid="comment-text" />
        {comment.error && <Text c="red" size="sm">{problem(comment.error)}</Text>}
        <Button w="fit-content" size="xs" onClick={() => comment.mutate()} loading={comment.isPending} data-testid="add-comment">
          {replyTo ? "Reply" : "Comment"}
        </Button>
        <Text size="xs" c="dimmed">
          Comments are never deleted; an edit keeps the earlier text.
        </Text>
      </Stack>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title="Edit your comment">
        <Stack>
          <Textarea autosize minRows={3} value={editText} onChange={(e) => setEditText(e.currentTarget.value)} />
          {edit.error && <Alert color="red">{problem(edit.error)}</Alert>}
          <Button onClick={() => edit.mutate()} loading={edit.isPending}>
            Save (the earlier text stays visible)
          </Button>
        </Stack>
      </Modal>
      <Modal opened={scoring !== null} onClose={() => setScoring(null)} title="Score against the rubric" size="lg">
        <Stack>
          {v.rubric.criteria.map((c) => {
            const s = scoring?.find((x) => x.criterion === c.key);
            const set = (patch: Partial<Score>) => setScoring((scoring ?? []).map((x) => (x.criterion === c.key ? { ...x, ...patch } : x)));
            return (
              <Group key={c.key} align="flex-start" wrap="nowrap">
                <div style={{ width: 200 }}>
                  <Text size="sm" fw={600}>
                    {c.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {c.description}
                  </Text>
                </div>
                <NumberInput aria-label={`Score for ${c.name}`} min={v.rubric.scale_min} max={v.rubric.scale_max} value={s?.score ?? v.rubric.scale_min} onChange={(x) => typeof x === "number" && set({ score: x })} w={80} />
                <Textarea aria-label={`Comment on ${c.name}`} autosize style={{ flex: 1 }} value={s?.comment ?? ""} onChange={(e) => set({ comment: e.currentTarget.value })} />
              </Group>
            );
          })}
          {score.error && <Alert color="red">{problem(score.error)}</Alert>}
          <Button onClick={() => score.mutate()} loading={score.isPending}>
            Submit scores
          </Button>
        </Stack>
      </Modal>
    </Card>
  );
}
