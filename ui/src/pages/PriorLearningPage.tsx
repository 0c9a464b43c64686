import { useState } from "react";
import {
  Badge,
  Button,
  Card,
  Checkbox,
  FileButton,
  Group,
  List,
  Modal,
  PasswordInput,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "react-router";
import { api, fieldError, keys } from "../api";
import type { ClaimState } from "../bindings/ClaimState";
import type { PriorLearningClaim } from "../bindings/PriorLearningClaim";
import { fileData, humanSize } from "../files";
import { ErrorsBesides, Problem } from "../components/Problem";

const stateLabels: Record<ClaimState, string> = { open: "To assess", recognized: "Recognized", declined: "Declined" };
const stateColors: Record<ClaimState, string> = { open: "indigo.9", recognized: "teal.9", declined: "red.9" };

/** Opens a claim: the microcredential, the learner, their account and the evidence. */
function NewClaim({ opened, onClose, onDone }: { opened: boolean; onClose: () => void; onDone: (c: PriorLearningClaim) => void }) {
  const microcredentials = useQuery({ queryKey: ["microcredentials", "active"], queryFn: api.microcredentials, enabled: opened });
  const [mc, setMc] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [statement, setStatement] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const open = useMutation({
    mutationFn: async () =>
      api.openPriorLearning(
        { microcredential: mc ?? "", learner_name: name, learner_email: email, learner_did: "", statement },
        await Promise.all(files.map(fileData)),
      ),
    onSuccess: (c) => {
      setName("");
      setEmail("");
      setStatement("");
      setFiles([]);
      onDone(c);
    },
  });
  const err = open.error;
  return (
    <Modal opened={opened} onClose={onClose} title="A claim of prior learning" size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          open.mutate();
        }}
      >
        <Stack>
          <Select
            label="Microcredential"
            data={(microcredentials.data ?? []).map((m) => ({ value: m.slug, label: `${m.title} (v${m.version})` }))}
            value={mc}
            onChange={setMc}
            error={fieldError(err, "credential")}
            data-testid="claim-microcredential"
          />
          <Group grow>
            <TextInput label="Learner's name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(err, "name")} />
            <TextInput label="Learner's email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fieldError(err, "email", "learner_email")} />
          </Group>
          <Textarea
            label="What the learner learned, where and how"
            autosize
            minRows={3}
            value={statement}
            onChange={(e) => setStatement(e.currentTarget.value)}
            error={fieldError(err, "statement")}
          />
          <Stack gap={4}>
            <Group>
              <FileButton multiple onChange={(f) => setFiles((held) => [...held, ...f])} inputProps={{ "data-testid": "claim-evidence-input" } as React.ComponentProps<"input">}>
                {(props) => (
                  <Button {...props} variant="default" size="xs">
                    Add evidence files…
                  </Button>
                )}
              </FileButton>
              {files.length > 0 && (
                <Button variant="subtle" size="xs" onClick={() => setFiles([])}>
                  Clear
                </Button>
              )}
            </Group>
            <Text size="sm" c={files.length ? undefined : "dimmed"} data-testid="claim-files">
              {files.length ? files.map((f) => f.name).join(", ") : "Evidence: a portfolio, certificates, references (PDF, images, documents)."}
            </Text>
            {fieldError(err, "evidence") && (
              <Text c="red.9" size="sm" role="alert">
                {fieldError(err, "evidence")}
              </Text>
            )}
          </Stack>
          <ErrorsBesides error={err} shown={["credential", "name", "email", "learner_email", "statement", "evidence"]} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={open.isPending} data-testid="open-claim">
              Open the claim
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The assessor's form: each outcome met or not, with a note; the decision and its reasons;
 * signed with the assessor's passphrase. The backend checks every rule. */
function AssessForm({ claim, onDone }: { claim: PriorLearningClaim; onDone: () => void }) {
  const [met, setMet] = useState<boolean[]>(claim.outcomes.map(() => false));
  const [notes, setNotes] = useState<string[]>(claim.outcomes.map(() => ""));
  const [decision, setDecision] = useState("recognize");
  const [note, setNote] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const assess = useMutation({
    mutationFn: () =>
      api.assessPriorLearning(
        claim.id,
        {
          judgements: claim.outcomes.map((outcome, i) => ({ outcome, met: met[i] ?? false, note: notes[i] ?? "" })),
          recognize: decision === "recognize",
          note,
        },
        passphrase,
      ),
    onSuccess: () => {
      setPassphrase("");
      onDone();
    },
  });
  const err = assess.error;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        assess.mutate();
      }}
    >
      <Stack gap="sm" data-testid="assess-form">
        <Text fw={600}>Your assessment, outcome by outcome</Text>
        {claim.outcomes.map((o, i) => (
          <Card key={i} withBorder padding="xs">
            <Checkbox
              label={`${i + 1}. ${o}`}
              checked={met[i] ?? false}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setMet((m) => m.map((x, j) => (j === i ? on : x)));
              }}
              data-testid={`outcome-met-${i}`}
            />
            <TextInput
              mt={6}
              size="xs"
              aria-label={`What the evidence shows for outcome ${i + 1}`}
              placeholder="What in the evidence shows it (or what is missing)"
              value={notes[i] ?? ""}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setNotes((n) => n.map((x, j) => (j === i ? v : x)));
              }}
              error={fieldError(err, `judgements[${i}]`, `judgements[${i}].note`)}
            />
          </Card>
        ))}
        <SegmentedControl
          value={decision}
          onChange={setDecision}
          data={[
            { value: "recognize", label: "Recognize" },
            { value: "decline", label: "Decline" },
          ]}
          aria-label="Decision"
          w={260}
        />
        {fieldError(err, "recognize", "judgements") && (
          <Text c="red.9" size="sm" role="alert">
            {fieldError(err, "recognize", "judgements")}
          </Text>
        )}
        <Textarea label="Reasons (the learner is told; required to decline)" autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} error={fieldError(err, "note")} />
        <PasswordInput label="Your passphrase (signs the decision)" value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} error={fieldError(err, "passphrase")} w={320} data-testid="assess-passphrase" />
        <ErrorsBesides error={err} shown={["recognize", "judgements", "note", "passphrase", ...claim.outcomes.flatMap((_, i) => [`judgements[${i}]`, `judgements[${i}].note`])]} />
        <Group>
          <Button type="submit" loading={assess.isPending} data-testid="sign-assessment">
            Sign the decision
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** One claim: the learner's account, the evidence, the outcomes and what is decided, with
 * the acts the backend allows the person signed in. */
function ClaimDetail({ claim }: { claim: PriorLearningClaim }) {
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: keys.priorLearning });
  const [message, setMessage] = useState<string | null>(null);
  const add = useMutation({ mutationFn: async (files: File[]) => api.addPriorLearningEvidence(claim.id, await Promise.all(files.map(fileData))), onSuccess: refresh });
  const view = useMutation({ mutationFn: (sha: string) => api.openPriorLearningEvidence(claim.id, sha) });
  const award = useMutation({
    mutationFn: () => api.awardPriorLearning(claim.id),
    onSuccess: (a) => {
      setMessage(`Awarded: a credential for ${a.learner_name}, marked as earned by recognition of prior learning. Credentials > "Save files…" gives it to the learner.`);
      refresh();
      void client.invalidateQueries({ queryKey: ["awards"] });
    },
  });
  const judged = claim.assessment?.judgements ?? [];
  return (
    <Card withBorder padding="md" data-testid="claim-detail">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={3} size="h4">
            {claim.learner_name} · {claim.microcredential} v{claim.version}
          </Title>
          <Text size="sm" c="dimmed">
            {claim.learner_email} · opened {claim.opened_at.slice(0, 10)}
            {claim.opened_by ? ` by ${claim.opened_by}` : ""}
          </Text>
        </div>
        <Badge color={stateColors[claim.state]} data-testid="claim-state">
          {stateLabels[claim.state]}
        </Badge>
      </Group>
      <Text size="sm" mt="sm" style={{ whiteSpace: "pre-wrap" }}>
        {claim.statement}
      </Text>
      <Group justify="space-between" mt="md" mb={4}>
        <Text fw={600}>Evidence</Text>
        {claim.may_add_evidence && (
          <FileButton multiple onChange={(f) => f.length > 0 && add.mutate(f)} inputProps={{ "data-testid": "add-evidence-input" } as React.ComponentProps<"input">}>
            {(props) => (
              <Button {...props} size="xs" variant="default" loading={add.isPending}>
                Add evidence…
              </Button>
            )}
          </FileButton>
        )}
      </Group>
      <Problem error={add.error ?? view.error} named={false} testId="evidence-problem" />
      {claim.evidence.length === 0 ? (
        <Text size="sm" c="dimmed">
          No evidence yet: an assessor needs some to decide.
        </Text>
      ) : (
        <List size="sm" data-testid="claim-evidence-list">
          {claim.evidence.map((e) => (
            <List.Item key={e.sha256}>
              <Button variant="subtle" size="compact-sm" onClick={() => view.mutate(e.sha256)} aria-label={`Open ${e.name}`}>
                {e.name}
              </Button>{" "}
              <Text span size="xs" c="dimmed">
                {humanSize(Number(e.size))}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
      {claim.may_assess ? (
        <Stack mt="md">
          <AssessForm key={claim.id} claim={claim} onDone={refresh} />
        </Stack>
      ) : (
        <>
          <Text fw={600} mt="md" mb={4}>
            Learning outcomes
          </Text>
          <Table data-testid="claim-outcomes">
            <Table.Tbody>
              {claim.outcomes.map((o, i) => (
                <Table.Tr key={i}>
                  <Table.Td>
                    {i + 1}. {o}
                  </Table.Td>
                  <Table.Td w={260}>
                    {judged[i] ? (
                      <Text size="sm" c={judged[i].met ? "teal.9" : "red.9"}>
                        {judged[i].met ? "Met" : "Not met"}
                        {judged[i].note ? `: ${judged[i].note}` : ""}
                      </Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        Not assessed yet
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
      {claim.assessment && (
        <Text size="sm" mt="sm" data-testid="claim-decision">
          {claim.state === "recognized" ? "Recognized" : "Declined"} by {claim.assessor} on {claim.decided_at?.slice(0, 10)} (signed)
          {claim.assessment.note ? `: ${claim.assessment.note}` : ""}
        </Text>
      )}
      {claim.award_id && (
        <Text size="sm" mt="xs">
          Awarded: award {claim.award_id}
        </Text>
      )}
      {claim.may_award && (
        <Group mt="md">
          <Button onClick={() => award.mutate()} loading={award.isPending} data-testid="award-claim">
            Award the credential
          </Button>
          <Text size="xs" c="dimmed">
            Issued under version {claim.version}; the issuer keys must be unlocked (Credentials).
          </Text>
        </Group>
      )}
      <Problem error={award.error} named={false} testId="award-problem" />
      {message && (
        <Text size="sm" mt="xs" data-testid="award-message">
          {message}
        </Text>
      )}
    </Card>
  );
}

export function PriorLearningPage() {
  const client = useQueryClient();
  const state = useQuery({ queryKey: keys.priorLearning, queryFn: api.priorLearning });
  const [params, setParams] = useSearchParams();
  const [adding, setAdding] = useState(false);
  if (state.error) return <Problem error={state.error} testId="prior-learning-problem" />;
  if (!state.data) return null;
  const claims = state.data.claims;
  const chosen = Number(params.get("claim")) || null;
  const shown = claims.find((c) => c.id === chosen) ?? null;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Prior learning</Title>
        {state.data.may_open && (
          <Button onClick={() => setAdding(true)} data-testid="new-claim">
            New claim…
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        A learner who already has what a microcredential certifies claims it with evidence; an assessor judges the evidence against each learning outcome and signs the decision; a recognized claim is awarded a credential that says it was earned by recognition of prior learning.
      </Text>
      <Card withBorder padding="md">
        <Table striped highlightOnHover data-testid="claims">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Learner</Table.Th>
              <Table.Th>Microcredential</Table.Th>
              <Table.Th>Opened</Table.Th>
              <Table.Th>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {claims.map((c) => (
              <Table.Tr key={c.id} onClick={() => setParams({ claim: String(c.id) })} style={{ cursor: "pointer" }} bg={c.id === chosen ? "var(--mantine-color-blue-light)" : undefined}>
                <Table.Td>
                  <Button variant="subtle" size="compact-sm" onClick={() => setParams({ claim: String(c.id) })} aria-label={`Claim of ${c.learner_name} to ${c.microcredential}`}>
                    {c.learner_name}
                  </Button>
                </Table.Td>
                <Table.Td>
                  {c.microcredential} <Text span size="xs" c="dimmed">v{c.version}</Text>
                </Table.Td>
                <Table.Td>{c.opened_at.slice(0, 10)}</Table.Td>
                <Table.Td>
                  <Badge color={stateColors[c.state]}>{c.award_id ? "Awarded" : stateLabels[c.state]}</Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {claims.length === 0 && (
          <Text size="sm" c="dimmed" mt="xs">
            No claims yet.
          </Text>
        )}
      </Card>
      {shown && <ClaimDetail key={`${shown.id}-${shown.state}`} claim={shown} />}
      <NewClaim
        opened={adding}
        onClose={() => setAdding(false)}
        onDone={(c) => {
          setAdding(false);
          void client.invalidateQueries({ queryKey: keys.priorLearning });
          setParams({ claim: String(c.id) });
        }}
      />
    </Stack>
  );
}
