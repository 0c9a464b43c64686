import { useRef, useState } from "react";
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  FileButton,
  Group,
  List,
  Modal,
  NumberInput,
  Progress,
  PasswordInput,
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
import { api, asAppError, fieldError, keys } from "../api";
import type { Award } from "../bindings/Award";
import type { Batch } from "../bindings/Batch";
import type { RosterPreview } from "../bindings/RosterPreview";
import type { FileData } from "../api";
import { fileData } from "../files";
import type { IssueReport } from "../bindings/IssueReport";
import type { IssuerState } from "../bindings/IssuerState";
import type { LearnerInput } from "../bindings/LearnerInput";
import type { CertificatePreview } from "../bindings/CertificatePreview";
import { CertificateImage, CertificateTemplates } from "./CertificateTemplates";
import { EventsPanel } from "./EventsPanel";
import { ErrorsBesides, Problem as SharedProblem } from "../components/Problem";

function Problem({ error }: { error: unknown }) {
  return <SharedProblem error={error} testId="credentials-error" />;
}

/** Issuer keys: unlock for this session, rotate, export the DID document; and how to issue. */
function Keys({ state }: { state: IssuerState }) {
  const client = useQueryClient();
  const [passphrase, setPassphrase] = useState("");
  const [rotating, setRotating] = useState(false);
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [saved, setSaved] = useState<string | null>(null);
  const refresh = () => void client.invalidateQueries({ queryKey: keys.issuer });
  const unlock = useMutation({ mutationFn: () => api.unlockIssuer(passphrase), onSuccess: () => { setPassphrase(""); refresh(); } });
  const lock = useMutation({ mutationFn: api.lockIssuer, onSuccess: refresh });
  const rotate = useMutation({
    mutationFn: () => api.rotateIssuerKey(current, next.trim() ? next : null),
    onSuccess: () => {
      setRotating(false);
      setCurrent("");
      setNext("");
      refresh();
    },
  });
  const exportDid = useMutation({ mutationFn: api.exportDidDocument, onSuccess: (p) => setSaved(p ? `Saved did.json in ${p}` : null) });
  const exportLists = useMutation({ mutationFn: api.exportStatusLists, onSuccess: (p) => setSaved(p ? `Saved the status lists in ${p}; publish them at the base URL's /status/` : null) });
  const first = state.keys.length === 0;
  return (
    <Card withBorder padding="md">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>Issuer keys</Text>
        <Badge color={state.unlocked ? "teal.9" : "gray.7"} data-testid="issuer-lock">
          {state.unlocked ? "Unlocked for this session" : "Locked"}
        </Badge>
      </Group>
      {first ? (
        <Text size="sm" c="dimmed">
          No issuer key yet. Create one: it signs every credential the institution issues.
        </Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Key (did:key)</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Use</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {state.keys.map((k) => (
              <Table.Tr key={k.did}>
                <Table.Td>
                  <Text size="xs" ff="monospace" style={{ wordBreak: "break-all" }}>
                    {k.did}
                  </Text>
                </Table.Td>
                <Table.Td>{k.created_at.slice(0, 10)}</Table.Td>
                <Table.Td>
                  {k.current
                    ? "Signs new credentials"
                    : k.event !== null
                      ? k.retired_at
                        ? `The event "${k.event}", merged ${k.retired_at.slice(0, 10)}; signs its status list`
                        : `The event "${k.event}": out at the event`
                      : `Retired ${k.retired_at?.slice(0, 10) ?? ""}; signs its status list`}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {!first && !state.unlocked && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            unlock.mutate();
          }}
        >
          <Group align="flex-end" mt="sm">
            <PasswordInput label="Issuer passphrase" value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} w={260} error={fieldError(unlock.error, "passphrase")} data-testid="issuer-passphrase" />
            <Button type="submit" loading={unlock.isPending} disabled={!passphrase} data-testid="unlock-issuer">
              Unlock
            </Button>
          </Group>
        </form>
      )}
      <Group mt="sm">
        {state.unlocked && (
          <Button variant="default" onClick={() => lock.mutate()} loading={lock.isPending}>
            Lock
          </Button>
        )}
        {state.may_manage && (
          <Button variant="light" onClick={() => setRotating(true)}>
            {first ? "Create the issuer key" : "Rotate the key"}
          </Button>
        )}
        {!first && state.may_manage && (
          <Button variant="default" onClick={() => exportDid.mutate()} loading={exportDid.isPending}>
            Export DID document
          </Button>
        )}
        {state.unlocked && state.may_manage && (
          <Button variant="default" onClick={() => exportLists.mutate()} loading={exportLists.isPending}>
            Export status lists
          </Button>
        )}
      </Group>
      {saved && (
        <Text size="sm" mt="xs">
          {saved}
        </Text>
      )}
      <Problem error={exportDid.error ?? exportLists.error ?? lock.error} />
      <Modal opened={rotating} onClose={() => setRotating(false)} title={first ? "Create the issuer key" : "Rotate the issuer key"}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            rotate.mutate();
          }}
        >
          <Stack>
            <Text size="sm">
              {first
                ? "Choose the issuer passphrase (at least 8 characters). It opens the key at every issuing session; it cannot be recovered."
                : "A new key signs from now on. Old keys stay, to sign the status lists of what they issued. Give the current passphrase; give a new one to seal every key under it."}
            </Text>
            <PasswordInput label={first ? "Passphrase" : "Current passphrase"} value={current} onChange={(e) => setCurrent(e.currentTarget.value)} error={fieldError(rotate.error, "passphrase")} data-autofocus />
            {!first && <PasswordInput label="New passphrase (optional)" value={next} onChange={(e) => setNext(e.currentTarget.value)} error={fieldError(rotate.error, "new_passphrase")} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRotating(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={rotate.isPending} disabled={!current}>
                {first ? "Create" : "Rotate"}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Card>
  );
}

function Settings({ state }: { state: IssuerState }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState(state.settings);
  const save = useMutation({ mutationFn: () => api.setIssuingSettings(draft), onSuccess: () => void client.invalidateQueries({ queryKey: keys.issuer }) });
  const changed = JSON.stringify(draft) !== JSON.stringify(state.settings);
  return (
    <Card withBorder padding="md">
      <Text fw={600} mb="xs">
        How the institution issues
      </Text>
      <Group align="flex-start">
        <TextInput
          label="Credential base URL"
          description="Status lists are published at <base>/status/; achievements are named under it."
          placeholder="https://credentials.example.edu"
          value={draft.base_url ?? ""}
          onChange={(e) => setDraft({ ...draft, base_url: e.currentTarget.value || null })}
          error={fieldError(save.error, "base_url")}
          w={360}
        />
        <Select
          label="Signature"
          description="RDF canonicalization is what Open Badges verifiers expect."
          data={[
            { value: "eddsa-rdfc-2022", label: "eddsa-rdfc-2022" },
            { value: "eddsa-jcs-2022", label: "eddsa-jcs-2022" },
          ]}
          value={draft.cryptosuite}
          onChange={(v) => v && setDraft({ ...draft, cryptosuite: v })}
          allowDeselect={false}
          w={260}
        />
      </Group>
      <TextInput
        mt="sm"
        label="Verification page (optional)"
        description="Certificates' QR codes open <page>?credential=<id> when set; otherwise they carry the credential id and the issuer's DID."
        placeholder="https://credentials.example.edu/verify"
        value={draft.verify_url ?? ""}
        onChange={(e) => setDraft({ ...draft, verify_url: e.currentTarget.value || null })}
        error={fieldError(save.error, "verify_url")}
        w={460}
      />
      <TextInput
        mt="sm"
        label="LinkedIn organization ID (optional)"
        description="The digits in your LinkedIn page's admin address (linkedin.com/company/1234567/admin): learners' Add to profile links then name the institution as the issuing organization."
        value={draft.linkedin_organization_id ?? ""}
        onChange={(e) => setDraft({ ...draft, linkedin_organization_id: e.currentTarget.value || null })}
        error={fieldError(save.error, "linkedin_organization_id")}
        w={460}
      />
      <NumberInput
        mt="sm"
        label="Show awards about to expire (days ahead)"
        description="In Things to do, for microcredentials whose credentials expire."
        value={draft.expiry_notice_days}
        onChange={(v) => setDraft({ ...draft, expiry_notice_days: typeof v === "number" ? v : 0 })}
        min={1}
        max={365}
        allowDecimal={false}
        error={fieldError(save.error, "expiry_notice_days")}
        w={260}
      />
      <Checkbox
        mt="sm"
        label="Carry the EU Council Recommendation's elements (learning outcomes, workload, level, assessment, participation, quality assurance)"
        checked={draft.eu_recommendation}
        onChange={(e) => setDraft({ ...draft, eu_recommendation: e.currentTarget.checked })}
      />
      <Button mt="sm" variant="light" disabled={!changed} onClick={() => save.mutate()} loading={save.isPending}>
        Save
      </Button>
    </Card>
  );
}

const formFields = ["name", "email", "learner_did", "completed_on", "grade", "evidence_url", "evidence_note", "credential"];

const emptyLearner: LearnerInput = { name: "", email: "", learner_did: "", completed_on: "", grade: "", evidence_url: "", evidence_note: "" };

function Issue({ unlocked }: { unlocked: boolean }) {
  const client = useQueryClient();
  const list = useQuery({ queryKey: keys.microcredentials, queryFn: api.microcredentials });
  const [mc, setMc] = useState<string | null>(null);
  const [learner, setLearner] = useState<LearnerInput>(emptyLearner);
  const [report, setReport] = useState<IssueReport | null>(null);
  const done = (r: IssueReport) => {
    setReport(r);
    setSaved(null);
    setLearner(emptyLearner);
    void client.invalidateQueries({ queryKey: ["awards"] });
  };
  const one = useMutation({ mutationFn: () => api.issueCredential(mc ?? "", learner), onSuccess: done });
  const [preview, setPreview] = useState<CertificatePreview | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const saveAll = useMutation({ mutationFn: (ids: string[]) => api.saveAwardFiles(ids), onSuccess: (p) => setSaved(p ? `Saved in ${p}` : null) });
  const previewing = useMutation({ mutationFn: () => api.previewCertificate(mc ?? "", learner), onSuccess: setPreview });
  // A roster is issued as a batch: committed a chunk at a time, its progress heard after
  // each; cancelled or stopped by a crash, it is resumed from where it stopped.
  const [live, setLive] = useState<Batch | null>(null);
  const settled = () => {
    void client.invalidateQueries({ queryKey: ["awards"] });
    void client.invalidateQueries({ queryKey: keys.batches });
  };
  const runBatch = async (batch: Batch) => {
    setReport(null);
    setLive(batch);
    const end = await api.runBatch(batch.id, setLive);
    setLive(end);
    return end;
  };
  // A roster file is previewed first: its columns as Credence reads them (named by hand
  // where not recognized), its first rows and every problem, before anything is issued.
  const rosterReset = useRef<() => void>(null);
  const [picked, setPicked] = useState<{ file: FileData; preview: RosterPreview; mapping: [string, string][] | null } | null>(null);
  const previewRoster = useMutation({
    mutationFn: async (file: File) => {
      const data = await fileData(file);
      return { file: data, preview: await api.rosterPreview(data, null), mapping: null };
    },
    onSuccess: setPicked,
  });
  const remap = useMutation({
    mutationFn: async (mapping: [string, string][]) => ({ file: picked!.file, preview: await api.rosterPreview(picked!.file, mapping), mapping }),
    onSuccess: setPicked,
  });
  const roster = useMutation({
    mutationFn: async (p: { file: FileData; mapping: [string, string][] }) => {
      setPicked(null);
      return runBatch(await api.startBatch(mc ?? "", p.file, p.mapping));
    },
    onSettled: settled,
  });
  const resume = useMutation({ mutationFn: runBatch, onSettled: settled });
  const set = (field: keyof LearnerInput) => (e: React.ChangeEvent<HTMLInputElement>) => setLearner({ ...learner, [field]: e.currentTarget.value });
  const options = (list.data ?? []).map((m) => ({ value: m.slug, label: `${m.title} (v${m.version})` }));
  const error = one.error ?? roster.error ?? previewing.error;
  return (
    <Card withBorder padding="md">
      <Text fw={600} mb="xs">
        Issue
      </Text>
      {options.length === 0 ? (
        <Text size="sm" c="dimmed">
          No microcredential can be awarded now: one can once its review route is complete, and while it is not suspended or retired.
        </Text>
      ) : (
        <Stack gap="xs">
          <Select label="Microcredential" data={options} value={mc} onChange={setMc} w={420} data-testid="issue-microcredential" error={fieldError(error, "credential")} />
          <Group align="flex-start">
            <TextInput label="Learner's name" value={learner.name} onChange={set("name")} error={fieldError(one.error ?? previewing.error, "name")} w={220} data-testid="learner-name" />
            <TextInput label="Email" value={learner.email} onChange={set("email")} error={fieldError(one.error ?? previewing.error, "email")} w={240} data-testid="learner-email" />
            <TextInput label="Completed on" placeholder="YYYY-MM-DD (today)" value={learner.completed_on} onChange={set("completed_on")} error={fieldError(one.error ?? previewing.error, "completed_on")} w={170} />
            <TextInput label="Grade" value={learner.grade} onChange={set("grade")} error={fieldError(one.error, "grade")} w={90} />
          </Group>
          <Group align="flex-start">
            <TextInput label="Learner's DID (optional)" value={learner.learner_did} onChange={set("learner_did")} error={fieldError(one.error, "learner_did")} w={300} />
            <TextInput label="Evidence URL (optional)" value={learner.evidence_url} onChange={set("evidence_url")} error={fieldError(one.error, "evidence_url")} w={300} />
            <TextInput label="Evidence note (optional)" value={learner.evidence_note} onChange={set("evidence_note")} error={fieldError(one.error, "evidence_note")} w={260} />
          </Group>
          <Group>
            <Button variant="default" onClick={() => previewing.mutate()} loading={previewing.isPending} disabled={!mc} data-testid="preview-certificate">
              Preview certificate
            </Button>
            <Button onClick={() => one.mutate()} loading={one.isPending} disabled={!mc || !unlocked} data-testid="issue-one">
              Issue to this learner
            </Button>
            <FileButton
              resetRef={rosterReset}
              onChange={(f) => {
                // Cleared, so the same file (fixed, or given again) is read again.
                rosterReset.current?.();
                if (f) previewRoster.mutate(f);
              }}
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              inputProps={{ "data-testid": "roster-input" } as React.ComponentProps<"input">}
            >
              {(props) => (
                <Button {...props} variant="light" disabled={!mc || !unlocked || roster.isPending || resume.isPending}>
                  Issue from a roster CSV…
                </Button>
              )}
            </FileButton>
            {!unlocked && (
              <Text size="sm" c="dimmed">
                Unlock the issuer key to issue.
              </Text>
            )}
          </Group>
          <Text size="xs" c="dimmed">
            Roster columns: name, email (required); learner_did, completed_on, grade, evidence_url, evidence_note; or a Credly, Canvas Credentials or Accredible bulk file (CSV or XLSX), or any other
            columns named by hand. Every row is checked before any is issued; a learner already awarded for the same date is not issued again, and a blank completion date is the day the roster was first given.
          </Text>
        </Stack>
      )}
      {(roster.error ?? previewRoster.error) && <Problem error={roster.error ?? previewRoster.error} />}
      <RosterDialog
        picked={picked}
        onClose={() => setPicked(null)}
        onMap={(mapping) => remap.mutate(mapping)}
        onIssue={(mapping) => picked && roster.mutate({ file: picked.file, mapping })}
        busy={remap.isPending}
      />
      <RosterBatches live={live} unlocked={unlocked} onResume={(b) => resume.mutate(b)} resuming={resume.isPending || roster.isPending} />
      {resume.error && <Problem error={resume.error} />}
      {previewing.error && asAppError(previewing.error).fields.every((f) => !formFields.includes(f.field)) && <Problem error={previewing.error} />}
      <Modal opened={preview !== null} onClose={() => setPreview(null)} title="Certificate preview (not issued)" size="xl">
        {preview && <CertificateImage preview={preview} testid="certificate-preview" />}
      </Modal>
      {one.error && asAppError(one.error).fields.every((f) => !formFields.includes(f.field)) && <Problem error={one.error} />}
      {report && (
        <Alert color="green" mt="xs" data-testid="issue-report">
          {report.rows.filter((r) => r.new).length} issued
          {report.rows.some((r) => !r.new) ? `, ${report.rows.filter((r) => !r.new).length} already issued` : ""}:{" "}
          {report.rows.map((r) => r.award.learner_name).join(", ")}
          <Group mt="xs" gap="xs">
            <Button size="xs" variant="white" onClick={() => saveAll.mutate(report.rows.map((r) => r.award.id))} loading={saveAll.isPending}>
              Save their files and certificates…
            </Button>
            {saved && <Text size="sm">{saved}</Text>}
          </Group>
        </Alert>
      )}
      {saveAll.error && <Problem error={saveAll.error} />}
    </Card>
  );
}

/** A roster file as Credence reads it, before anything is issued: each column and the field
 * it fills (chosen by hand where not recognized; remembered for files with the same
 * columns), the first rows, and every problem by row and column. */
function RosterDialog({
  picked,
  onClose,
  onMap,
  onIssue,
  busy,
}: {
  picked: { preview: RosterPreview; mapping: [string, string][] | null } | null;
  onClose: () => void;
  onMap: (mapping: [string, string][]) => void;
  onIssue: (mapping: [string, string][]) => void;
  busy: boolean;
}) {
  const preview = picked?.preview;
  // What was named by hand (now, or remembered): sent with the roster.
  const handMade = (): [string, string][] =>
    picked?.mapping ?? (preview?.columns ?? []).filter((c) => c.mapped && c.field).map((c) => [c.header, c.field as string]);
  const choose = (header: string, field: string | null) => {
    const rest = handMade().filter(([h]) => h !== header);
    onMap(field ? [...rest, [header, field]] : rest);
  };
  const options = (preview?.fields ?? []).map((f) => ({ value: f, label: f === "ignore" ? "not used" : f.replace("_", " ") }));
  return (
    <Modal opened={picked !== null} onClose={onClose} title={preview ? `Roster: ${preview.file}` : ""} size="90%">
      {preview && (
        <Stack gap="sm" data-testid="roster-preview">
          <Text size="sm">
            {preview.source}: {preview.learners} learner{preview.learners === 1 ? "" : "s"}. Check what each column fills; name those Credence does not recognize.
          </Text>
          <Table.ScrollContainer minWidth={600}>
            <Table withTableBorder data-testid="roster-columns">
              <Table.Thead>
                <Table.Tr>
                  {preview.columns.map((c) => (
                    <Table.Th key={c.header}>
                      <Text size="sm" fw={600}>
                        {c.header}
                      </Text>
                      <Select
                        size="xs"
                        aria-label={`Field for the column ${c.header}`}
                        placeholder="Not recognized"
                        data={options}
                        value={c.field}
                        onChange={(v) => choose(c.header, v)}
                        error={c.field === null}
                        disabled={busy}
                      />
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.rows.map((row, i) => (
                  <Table.Tr key={i}>
                    {row.map((cell, j) => (
                      <Table.Td key={j}>{cell}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {preview.learners > preview.rows.length && (
            <Text size="xs" c="dimmed">
              The first {preview.rows.length} of {preview.learners} rows.
            </Text>
          )}
          {preview.problems.length > 0 ? (
            <Alert color="red" title={`${preview.problems.length} problem${preview.problems.length === 1 ? "" : "s"}: nothing is issued until they are fixed`} data-testid="roster-problems">
              <List size="sm">
                {preview.problems.slice(0, 50).map((p, i) => (
                  <List.Item key={i}>
                    {p.field}: {p.message}
                  </List.Item>
                ))}
              </List>
              {preview.problems.length > 50 && <Text size="sm">… and {preview.problems.length - 50} more.</Text>}
            </Alert>
          ) : (
            <Text size="sm" c="teal.9">
              Every row reads well.
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button onClick={() => onIssue(handMade())} disabled={preview.problems.length > 0 || busy} data-testid="roster-issue">
              Issue to {preview.learners} learner{preview.learners === 1 ? "" : "s"}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

const batchState = (b: Batch) =>
  b.active ? "Issuing" : b.state === "running" ? "Stopped before the end" : b.state === "cancelled" ? "Cancelled" : b.state === "finished" ? "Finished" : "Closed";

/** The roster batch running now, with its progress and a Cancel button, and the batches that
 * stopped before their end (cancelled, or the app closed mid-way), each to resume or close.
 * What may be done with each is the backend's answer (`may_*`). */
function RosterBatches({ live, unlocked, onResume, resuming }: { live: Batch | null; unlocked: boolean; onResume: (b: Batch) => void; resuming: boolean }) {
  const client = useQueryClient();
  const list = useQuery({ queryKey: keys.batches, queryFn: api.batches });
  const settled = () => void client.invalidateQueries({ queryKey: keys.batches });
  const cancel = useMutation({ mutationFn: (id: string) => api.cancelBatch(id), onSettled: settled });
  const close = useMutation({ mutationFn: (id: string) => api.closeBatch(id), onSettled: settled });
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation({ mutationFn: (id: string) => api.saveBatchFiles(id), onSuccess: (p) => setSaved(p ? `Saved in ${p}` : null) });
  const [publishing, setPublishing] = useState<Batch | null>(null);
  const [platform, setPlatform] = useState("credly");
  const [badgeId, setBadgeId] = useState("");
  const exportFor = useMutation({ mutationFn: (id: string) => api.saveBatchPlatformCsv(id, platform, badgeId) });
  const stopped = (list.data ?? []).filter((b) => (b.state === "running" || b.state === "cancelled") && b.id !== live?.id && !b.active);
  const shown = [...(live ? [live] : []), ...stopped];
  if (shown.length === 0) return null;
  return (
    <Stack gap="xs" mt="sm" data-testid="roster-batches">
      {shown.map((b) => {
        const percent = b.total === 0 ? 0 : Math.round((100 * b.done) / b.total);
        return (
          <Card key={b.id} withBorder padding="sm" data-testid="roster-batch">
            <Group justify="space-between">
              <Text size="sm" fw={600}>
                Roster for {b.microcredential} (v{b.version})
              </Text>
              <Badge color={b.state === "finished" ? "teal.9" : b.active ? "blue.9" : "gray.8"} data-testid="batch-state">
                {batchState(b)}
              </Badge>
            </Group>
            <Progress.Root size="lg" mt={6}>
              <Progress.Section value={percent} aria-label={`Learners issued for ${b.microcredential}`} data-testid="batch-progress" />
            </Progress.Root>
            <Group justify="space-between" mt={6}>
              <Text size="sm" data-testid="batch-count">
                {b.done} of {b.total} learners issued ({b.issued} new{b.done > b.issued ? `, ${b.done - b.issued} already held the award` : ""}); completion date where the roster gave none: {b.started_on}
              </Text>
              <Group gap="xs">
                {b.may_cancel && (
                  <Button size="xs" variant="default" onClick={() => cancel.mutate(b.id)} loading={cancel.isPending} data-testid="batch-cancel">
                    Cancel
                  </Button>
                )}
                {b.may_resume && !b.active && (
                  <Button size="xs" onClick={() => onResume(b)} disabled={!unlocked || resuming} data-testid="batch-resume">
                    Resume
                  </Button>
                )}
                {b.may_close && !b.active && (
                  <Button size="xs" variant="subtle" color="gray" onClick={() => close.mutate(b.id)} loading={close.isPending} disabled={resuming}>
                    Close without the rest
                  </Button>
                )}
                {b.state === "finished" && (
                  <Button size="xs" variant="light" onClick={() => save.mutate(b.id)} loading={save.isPending}>
                    Save their files and certificates…
                  </Button>
                )}
                {b.state === "finished" && (
                  <Button size="xs" variant="default" onClick={() => setPublishing(b)} data-testid="batch-platform">
                    For another platform…
                  </Button>
                )}
              </Group>
            </Group>
            {b.may_resume && !b.active && !unlocked && (
              <Text size="xs" c="dimmed">
                Unlock the issuer key to resume.
              </Text>
            )}
            {b.state === "finished" && saved && <Text size="sm">{saved}</Text>}
          </Card>
        );
      })}
      {(cancel.error ?? close.error ?? save.error) && <Problem error={cancel.error ?? close.error ?? save.error} />}
      <Modal opened={publishing !== null} onClose={() => setPublishing(null)} title="Publish on another platform too">
        <Stack gap="sm">
          <Text size="sm">Its awards as that platform's bulk upload file, in the columns and date forms it documents.</Text>
          <Select
            label="Platform"
            data={[
              { value: "credly", label: "Credly (bulk issue CSV)" },
              { value: "canvas", label: "Canvas Credentials (bulk award CSV)" },
              { value: "accredible", label: "Accredible (spreadsheet)" },
            ]}
            value={platform}
            onChange={(v) => v && setPlatform(v)}
            allowDeselect={false}
          />
          <TextInput
            label="The badge's id there (optional)"
            description="Credly's badge template ID or Canvas Credentials' badge class ID, written on every row."
            value={badgeId}
            onChange={(e) => setBadgeId(e.currentTarget.value)}
            error={fieldError(exportFor.error, "badge_id")}
          />
          <Group justify="flex-end">
            <Button onClick={() => publishing && exportFor.mutate(publishing.id)} loading={exportFor.isPending}>
              Save the file…
            </Button>
          </Group>
          {exportFor.data && <Text size="sm">Saved in {exportFor.data}</Text>}
        </Stack>
      </Modal>
    </Stack>
  );
}

/** Corrects an issued award: the right name, email or date, and why. The backend issues the
 * new credential and revokes the old one as superseded. */
function CorrectDialog({ award, onClose, onDone }: { award: Award | null; onClose: () => void; onDone: (a: Award) => void }) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [date, setDate] = useState("");
  const [reason, setReason] = useState("");
  const [shown, setShown] = useState<string | null>(null);
  if (award && shown !== award.id) {
    setShown(award.id);
    setName(award.learner_name);
    setEmail(award.learner_email);
    setDate(award.completed_on);
    setReason("");
  }
  const correct = useMutation({
    mutationFn: () => api.correctAward(award!.id, { name, email, completed_on: date }, reason),
    onSuccess: (a) => {
      setShown(null);
      onDone(a);
    },
  });
  const err = correct.error;
  const shownFields = ["name", "email", "completed_on", "reason"];
  return (
    <Modal opened={award !== null} onClose={onClose} title="Correct this credential">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          correct.mutate();
        }}
      >
        <Stack>
          <Text size="sm">
            {award?.microcredential} v{award?.version}. A new credential is signed with what you correct; the old one is revoked as superseded. The issuer keys must be unlocked.
          </Text>
          <TextInput label="Learner's name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(err, "name")} data-testid="correct-name" />
          <TextInput label="Email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fieldError(err, "email")} />
          <TextInput label="Completed on" placeholder="YYYY-MM-DD" value={date} onChange={(e) => setDate(e.currentTarget.value)} error={fieldError(err, "completed_on")} />
          <Textarea label="What was wrong" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(err, "reason")} data-testid="correct-reason" />
          <ErrorsBesides error={err} shown={shownFields} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={correct.isPending} data-testid="confirm-correct">
              Issue the correction
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Imports Open Badges 2.0 assertions from a previous platform: the files (assertions, and the
 * issuer's key and badge classes where there are), the learners list, and, for badges no
 * microcredential is called, the microcredential each awards. The backend reads, checks,
 * matches and re-issues; its report says what became of each file. */
function ImportOb2Dialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const microcredentials = useQuery({ queryKey: ["microcredentials", "active"], queryFn: api.microcredentials, enabled: opened });
  const [files, setFiles] = useState<File[]>([]);
  const [learners, setLearners] = useState<File | null>(null);
  const [map, setMap] = useState<Record<string, string>>({});
  const [archive, setArchive] = useState(false);
  const run = useMutation({
    mutationFn: async () =>
      api.importOb2(
        await Promise.all(files.map(fileData)),
        learners ? await learners.text() : "",
        Object.entries(map).filter(([, slug]) => slug),
        archive,
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["awards"] }),
  });
  const report = run.data;
  const unmatched = [...new Set((report?.rows ?? []).filter((r) => r.unmatched && r.badge).map((r) => r.badge as string))];
  const close = () => {
    run.reset();
    setFiles([]);
    setLearners(null);
    setMap({});
    setArchive(false);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title="Import Open Badges 2.0 assertions" size="xl">
      <Stack>
        <Text size="sm">
          Badges from a previous platform: assertions as JSON, signed (JWS) or baked into PNG and SVG images, with the issuer's public key and badge classes where you have them. Each is re-issued as an Open Badges 3.0 credential signed by this institution, naming the original, which Credence keeps. Hosted assertions cannot be checked offline; signed ones are checked with the key.
        </Text>
        <Group>
          <FileButton multiple onChange={(f) => setFiles((held) => [...held, ...f])} accept=".json,.jws,.png,.svg" inputProps={{ "data-testid": "ob2-files-input" } as React.ComponentProps<"input">}>
            {(props) => (
              <Button {...props} variant="default" size="xs">
                Choose assertion files…
              </Button>
            )}
          </FileButton>
          <Text size="sm" data-testid="ob2-files">
            {files.length ? `${files.length} file${files.length === 1 ? "" : "s"}` : "No files chosen"}
          </Text>
        </Group>
        <Group>
          <FileButton onChange={setLearners} accept=".csv,text/csv" inputProps={{ "data-testid": "ob2-learners-input" } as React.ComponentProps<"input">}>
            {(props) => (
              <Button {...props} variant="default" size="xs">
                Choose the learners list (name, email)…
              </Button>
            )}
          </FileButton>
          <Text size="sm">{learners ? learners.name : "The assertions' hashed emails are matched to it."}</Text>
        </Group>
        {unmatched.map((badge) => (
          <Select
            key={badge}
            label={`Microcredential awarded by the badge ${badge}`}
            data={(microcredentials.data ?? []).map((m) => ({ value: m.slug, label: m.title }))}
            value={map[badge] ?? null}
            onChange={(v) => setMap((m) => ({ ...m, [badge]: v ?? "" }))}
            clearable
          />
        ))}
        <Checkbox
          label="Import a badge that no microcredential matches as an archived microcredential of its own (retired, made from its badge class)"
          checked={archive}
          onChange={(e) => setArchive(e.currentTarget.checked)}
          data-testid="ob2-archive"
        />
        <Problem error={run.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Close
          </Button>
          <Button onClick={() => run.mutate()} loading={run.isPending} disabled={files.length === 0} data-testid="ob2-import">
            {report ? "Import again" : "Import"}
          </Button>
        </Group>
        {report && (
          <>
            <Text size="sm" fw={600} data-testid="ob2-summary">
              Imported {report.imported}, skipped {report.skipped} ({report.documents} issuer keys and badge classes read)
            </Text>
            {report.archived.map((a) => (
              <Text size="sm" key={a.slug} data-testid="ob2-archived">
                Archived microcredential made: {a.title} ({a.slug}), retired, from the badge {a.badge}
              </Text>
            ))}
            <Table striped data-testid="ob2-report">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>File</Table.Th>
                  <Table.Th>Learner</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.rows.map((r) => (
                  <Table.Tr key={r.file}>
                    <Table.Td>{r.file}</Table.Td>
                    <Table.Td>{r.learner ?? "—"}</Table.Td>
                    <Table.Td>
                      <Text size="sm" c={r.award_id ? undefined : "red.9"}>
                        {r.award_id ? `Imported (${r.microcredential})` : `Skipped: ${r.skipped}`}
                      </Text>
                      {r.checked && (
                        <Text size="xs" c="dimmed">
                          {r.checked}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>
    </Modal>
  );
}

/** Renews an award that expires: the day the learner qualified again (today when blank).
 * The backend issues the new credential under the version in effect, linked to this one. */
function RenewDialog({ award, onClose, onDone }: { award: Award | null; onClose: () => void; onDone: (a: Award) => void }) {
  const [date, setDate] = useState("");
  const [shown, setShown] = useState<string | null>(null);
  if (award && shown !== award.id) {
    setShown(award.id);
    setDate("");
  }
  const renew = useMutation({
    mutationFn: () => api.renewAward(award!.id, date),
    onSuccess: (a) => {
      setShown(null);
      onDone(a);
    },
  });
  const err = renew.error;
  const shownFields = ["completed_on"];
  return (
    <Modal opened={award !== null} onClose={onClose} title="Renew this credential">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          renew.mutate();
        }}
      >
        <Stack>
          <Text size="sm">
            {award?.learner_name}, {award?.microcredential} v{award?.version}, valid until {award?.valid_until?.slice(0, 10)}. A new credential is signed under the version in effect today, valid for its period from the day the learner qualified again; this one stays valid until it expires. The issuer keys must be unlocked.
          </Text>
          <TextInput label="Qualified again on" placeholder="YYYY-MM-DD (today)" value={date} onChange={(e) => setDate(e.currentTarget.value)} error={fieldError(err, "completed_on")} data-autofocus data-testid="renew-date" />
          <ErrorsBesides error={err} shown={shownFields} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={renew.isPending} data-testid="confirm-renew">
              Issue the renewal
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** What an award's expiry says beside its status: when it ends or ended, and any renewal. */
function Validity({ award: a }: { award: Award }) {
  const until = a.valid_until?.slice(0, 10);
  const expired = a.expired;
  return (
    <>
      {until && !a.revoked_at && (
        <Text size="xs" c={expired ? "orange.9" : "dimmed"}>
          {expired ? `Expired ${until}` : `Valid until ${until}`}
        </Text>
      )}
      {a.renewed_by && (
        <Text size="xs" c="dimmed">
          Renewed
        </Text>
      )}
      {a.renewal_of && (
        <Text size="xs" c="dimmed">
          Renews an earlier award
        </Text>
      )}
      {a.by_recognition && (
        <Text size="xs" c="dimmed">
          By recognition of prior learning
        </Text>
      )}
      {a.imported && (
        <Text size="xs" c="dimmed">
          Imported from Open Badges 2.0
        </Text>
      )}
    </>
  );
}

/** What a revocation acts on: one award (or its reinstatement), those ticked, or a file's list. */
type Target = { kind: "one"; award: Award; revoke: boolean } | { kind: "selected"; ids: string[] } | { kind: "file"; name: string; text: string };

function targetTitle(t: Target | null): string {
  if (!t) return "";
  if (t.kind === "one") return t.revoke ? "Revoke this credential" : "Reinstate this credential";
  if (t.kind === "selected") return `Revoke ${t.ids.length} credential${t.ids.length === 1 ? "" : "s"}`;
  return `Revoke the credentials listed in ${t.name}`;
}

function Awards({ coordinator, mayIssue, mayImport }: { coordinator: boolean; mayIssue: boolean; mayImport: boolean }) {
  const client = useQueryClient();
  // "Things to do" opens the list searched for the microcredential whose awards expire.
  const [params] = useSearchParams();
  const [search, setSearch] = useState(params.get("search") ?? "");
  const awards = useQuery({ queryKey: keys.awards(search), queryFn: () => api.awards(search) });
  const [target, setTarget] = useState<Target | null>(null);
  const [reason, setReason] = useState("");
  const [saved, setSaved] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [correcting, setCorrecting] = useState<Award | null>(null);
  const [renewing, setRenewing] = useState<Award | null>(null);
  const [importing, setImporting] = useState(false);
  const change = useMutation({
    mutationFn: () => {
      const t = target!;
      if (t.kind === "selected") return api.revokeAwards(t.ids, reason);
      if (t.kind === "file") return api.revokeAwardsListed(t.text, reason);
      return t.revoke ? api.revokeAwards([t.award.id], reason) : api.reinstateAwards([t.award.id], reason);
    },
    onSuccess: (changed) => {
      const many = target?.kind !== "one";
      setTarget(null);
      setReason("");
      setSelected([]);
      if (many) setSaved(`Revoked ${changed.length} credential${changed.length === 1 ? "" : "s"}; export the status lists to publish it.`);
      void client.invalidateQueries({ queryKey: ["awards"] });
    },
  });
  const revocable = (awards.data ?? []).filter((a) => !a.revoked_at).map((a) => a.id);
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)));
  const otherErrors = change.error ? asAppError(change.error).fields.filter((f) => f.field !== "reason") : [];
  const save = useMutation({ mutationFn: (id: string) => api.saveAwardFiles([id]), onSuccess: (p) => setSaved(p ? `Saved in ${p}` : null) });
  const open = useMutation({ mutationFn: (id: string) => api.openCertificate(id), onSuccess: (p) => setSaved(`Opened the certificate (${p})`) });
  return (
    <Card withBorder padding="md">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>Issued credentials</Text>
        <Group gap="xs">
          {coordinator && selected.length > 0 && (
            <Button size="xs" color="red" variant="light" onClick={() => setTarget({ kind: "selected", ids: selected })} data-testid="revoke-selected">
              Revoke selected ({selected.length})
            </Button>
          )}
          {mayImport && (
            <Button size="xs" variant="default" onClick={() => setImporting(true)} data-testid="ob2-open">
              Import Open Badges 2.0…
            </Button>
          )}
          {coordinator && (
            <FileButton onChange={async (f) => f && setTarget({ kind: "file", name: f.name, text: await f.text() })} accept=".csv,.txt,text/csv,text/plain" inputProps={{ "data-testid": "revoke-list-input" } as React.ComponentProps<"input">}>
              {(props) => (
                <Button {...props} size="xs" variant="default">
                  Revoke from a list…
                </Button>
              )}
            </FileButton>
          )}
          <TextInput placeholder="Search learner, email, microcredential" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={320} aria-label="Search issued credentials" />
        </Group>
      </Group>
      {saved && (
        <Text size="sm" data-testid="awards-saved">
          {saved}
        </Text>
      )}
      <Problem error={save.error ?? open.error} />
      <Table striped data-testid="awards">
        <Table.Thead>
          <Table.Tr>
            {coordinator && (
              <Table.Th w={36}>
                <Checkbox
                  aria-label="Select every valid credential shown"
                  checked={revocable.length > 0 && revocable.every((id) => selected.includes(id))}
                  indeterminate={selected.length > 0 && !revocable.every((id) => selected.includes(id))}
                  onChange={(e) => setSelected(e.currentTarget.checked ? revocable : [])}
                />
              </Table.Th>
            )}
            <Table.Th>Learner</Table.Th>
            <Table.Th>Microcredential</Table.Th>
            <Table.Th>Issued</Table.Th>
            <Table.Th miw={150}>Status</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(awards.data ?? []).map((a) => (
            <Table.Tr key={a.id}>
              {coordinator && (
                <Table.Td>
                  {!a.revoked_at && <Checkbox aria-label={`Select ${a.learner_name}, ${a.microcredential}`} checked={selected.includes(a.id)} onChange={(e) => toggle(a.id, e.currentTarget.checked)} />}
                </Table.Td>
              )}
              <Table.Td>
                <Text size="sm">{a.learner_name}</Text>
                <Text size="xs" c="dimmed">
                  {a.learner_email}
                </Text>
              </Table.Td>
              <Table.Td>
                {a.microcredential} <Text span size="xs" c="dimmed">v{a.version}</Text>
              </Table.Td>
              <Table.Td>{a.issued_at.slice(0, 10)}</Table.Td>
              <Table.Td>
                {a.superseded_by ? (
                  <Badge color="gray.8" title={a.revoked_reason ?? ""}>
                    Superseded
                  </Badge>
                ) : a.revoked_at ? (
                  <Badge color="red.9" title={a.revoked_reason ?? ""}>
                    Revoked
                  </Badge>
                ) : (
                  <Badge color="teal.9">Valid</Badge>
                )}
                {a.supersedes && (
                  <Text size="xs" c="dimmed">
                    Corrects an earlier award
                  </Text>
                )}
                <Validity award={a} />
              </Table.Td>
              <Table.Td>
                <Group gap={6} justify="flex-end" maw={300} ml="auto">
                  {!a.revoked_at && (
                    <Button size="xs" variant="default" onClick={() => open.mutate(a.id)} loading={open.isPending && open.variables === a.id} aria-label={`Open the certificate of ${a.learner_name}`}>
                      Certificate
                    </Button>
                  )}
                  <Button size="xs" variant="default" onClick={() => save.mutate(a.id)}>
                    Save files…
                  </Button>
                  {mayIssue && a.renewable && (
                    <Button size="xs" variant="default" onClick={() => setRenewing(a)} aria-label={`Renew ${a.learner_name}, ${a.microcredential}`}>
                      Renew…
                    </Button>
                  )}
                  {coordinator && !a.revoked_at && (
                    <Button size="xs" variant="default" onClick={() => setCorrecting(a)} aria-label={`Correct ${a.learner_name}`}>
                      Correct…
                    </Button>
                  )}
                  {coordinator && !a.superseded_by && (
                    <Button size="xs" variant="light" color={a.revoked_at ? "blue" : "red"} onClick={() => setTarget({ kind: "one", award: a, revoke: !a.revoked_at })} aria-label={`${a.revoked_at ? "Reinstate" : "Revoke"} ${a.learner_name}`}>
                      {a.revoked_at ? "Reinstate" : "Revoke"}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {awards.data?.length === 0 && (
        <Text size="sm" c="dimmed" mt="xs">
          {search ? "Nothing matches." : "Nothing issued yet."}
        </Text>
      )}
      <CorrectDialog
        award={correcting}
        onClose={() => setCorrecting(null)}
        onDone={(a) => {
          setCorrecting(null);
          setSaved(`Corrected: a new credential for ${a.learner_name}; the old one is revoked as superseded. Export the status lists to publish it.`);
          void client.invalidateQueries({ queryKey: ["awards"] });
        }}
      />
      <ImportOb2Dialog opened={importing} onClose={() => setImporting(false)} />
      <RenewDialog
        award={renewing}
        onClose={() => setRenewing(null)}
        onDone={(a) => {
          setRenewing(null);
          setSaved(`Renewed: a new credential for ${a.learner_name}, valid until ${a.valid_until?.slice(0, 10)}; "Save files…" on it gives it to the learner.`);
          void client.invalidateQueries({ queryKey: ["awards"] });
        }}
      />
      <Modal opened={target !== null} onClose={() => setTarget(null)} title={targetTitle(target)}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            change.mutate();
          }}
        >
          <Stack>
            <Text size="sm">
              {target?.kind === "one" ? `${target.award.learner_name}, ${target.award.microcredential}. ` : "All of them, or none if any cannot be. "}
              Verifiers see the change once the status lists are exported and published.
            </Text>
            <Textarea label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(change.error, "reason")} data-autofocus data-testid="revoke-reason" />
            {otherErrors.length > 0 && (
              <Alert color="red" data-testid="revoke-problems">
                <List size="sm">
                  {otherErrors.map((f, i) => (
                    <List.Item key={i}>
                      {f.field}: {f.message}
                    </List.Item>
                  ))}
                </List>
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setTarget(null)}>
                Cancel
              </Button>
              <Button type="submit" color={target?.kind === "one" && !target.revoke ? "blue" : "red"} loading={change.isPending} data-testid="confirm-revoke">
                {target?.kind === "one" && !target.revoke ? "Reinstate" : "Revoke"}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Card>
  );
}

export function CredentialsPage() {
  const state = useQuery({ queryKey: keys.issuer, queryFn: api.issuerState });
  if (state.error) return <Problem error={state.error} />;
  if (!state.data) return null;
  const s = state.data;
  return (
    <Stack>
      <Title order={2}>Credentials</Title>
      {s.may_issue && <Keys state={s} />}
      {s.may_issue && <Issue unlocked={s.unlocked} />}
      <Awards coordinator={s.may_revoke} mayIssue={s.may_issue} mayImport={s.may_manage} />
      {s.may_manage && <EventsPanel mayManage={s.may_manage} />}
      {s.may_manage && <CertificateTemplates />}
      {s.may_manage && <Settings key={JSON.stringify(s.settings)} state={s} />}
    </Stack>
  );
}
