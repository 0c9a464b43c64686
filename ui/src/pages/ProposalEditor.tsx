import { ConflictAlert } from "../components/ConflictAlert";
import { useEffect, useMemo, useRef, useState } from "react";
import {
  Accordion,
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  FileButton,
  Group,
  Image,
  List,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IconTrash } from "@tabler/icons-react";
import { useNavigate, useParams } from "react-router";
import { api, asAppError, keys } from "../api";
import type { ProposalContent } from "../bindings/ProposalContent";
import type { ProposalView } from "../bindings/ProposalView";
import { Attachments } from "../components/Attachments";
import { ChangeRequestPanel, TerminationPanel } from "../components/CasePanels";
import { ChangesPanel } from "../components/ChangesPanel";
import { ReviewPanel } from "../components/ReviewPanel";
import { Translations, languageOptions, useLanguages } from "../components/Translations";
import { DeliberationPanel } from "../components/DeliberationPanel";
import { fileData } from "../files";
import type { ProposalEvent } from "../bindings/ProposalEvent";
import type { ProposalCheck } from "../bindings/ProposalCheck";
import type { PrerequisiteKind } from "../bindings/PrerequisiteKind";
import type { AcademicLevel } from "../bindings/AcademicLevel";
import { caseKindLabels, proposalFieldLabel, statusColours, statusLabels } from "../labels";

const prerequisiteKinds: Record<PrerequisiteKind, string> = {
  bachelors_degree: "Bachelor's degree",
  masters_degree: "Master's degree",
  course: "Course",
  experience: "Experience",
  other: "Other",
};

const academicLevels: Record<AcademicLevel, string> = {
  undergraduate: "Undergraduate",
  graduate: "Graduate",
  non_degree: "Non-degree",
};

function entries<K extends string>(r: Record<K, string>) {
  return (Object.keys(r) as K[]).map((value) => ({ value, label: r[value] }));
}

/** The policy findings and possible duplicates, as the backend reports them: a check that
 * failed, has not answered yet or does not apply (a past version shown) never reads as
 * "Meets every policy". */
function PolicyPanel({ check, error, pastVersion }: { check: ProposalCheck | undefined; error: Error | null; pastVersion: boolean }) {
  const findings = check?.findings ?? [];
  const similar = check?.similar ?? [];
  return (
    <Card withBorder padding="md" data-testid="policy-panel">
      <Title order={3} size="h4" mb="xs">
        Policy check
      </Title>
      {pastVersion ? (
        <Text size="sm" c="dimmed">
          The policies are checked on the draft being edited, not on a past version.
        </Text>
      ) : error ? (
        <Text c="red.9" size="sm" role="alert">
          The check could not run: {asAppError(error).message}
        </Text>
      ) : !check ? (
        <Text size="sm" c="dimmed">
          Checking…
        </Text>
      ) : findings.length === 0 ? (
        <Text c="teal.9" size="sm" data-testid="policy-ok">
          Meets every policy.
        </Text>
      ) : (
        <List spacing="xs" size="sm" data-testid="policy-findings">
          {findings.map((f, i) => (
            <List.Item key={i}>
              <Badge size="xs" color={f.severity === "blocking" ? "red.9" : "orange.9"} variant="filled" mr={6}>
                {f.severity === "blocking" ? "Blocking" : "Warning"}
              </Badge>
              <Text span fw={500} size="sm">
                {proposalFieldLabel(f.field)}:
              </Text>{" "}
              {f.message}
            </List.Item>
          ))}
        </List>
      )}
      {similar.length > 0 && (
        <>
          <Title order={4} size="h5" mt="md" mb={4}>
            Possible duplicates
          </Title>
          <List size="sm" data-testid="similar-proposals">
            {similar.map((s) => (
              <List.Item key={s.id}>
                <Anchor href={`#/proposals/${s.id}`}>{s.title}</Anchor>
              </List.Item>
            ))}
          </List>
        </>
      )}
    </Card>
  );
}

/** The badge the proposal would carry: drawn by the backend from the taxonomy, or the
 * proposer's own image (sanitized by the backend). */
function BadgeCard({ id, content, editable, onChanged }: { id: number; content: ProposalContent; editable: boolean; onChanged: (p: ProposalView) => void }) {
  const badge = useQuery({
    queryKey: ["badge", content.title, content.short_title, content.category, content.level, content.custom_badge?.sha256],
    queryFn: () => api.badgePreview(content),
    placeholderData: keepPreviousData,
  });
  const upload = useMutation({
    mutationFn: async (file: File) => api.setCustomBadge(id, await fileData(file)),
    onSuccess: (r) => onChanged(r.proposal),
  });
  const clear = useMutation({ mutationFn: () => api.clearCustomBadge(id), onSuccess: onChanged });
  const custom = badge.data?.custom;
  return (
    <Card withBorder padding="md">
      <Title order={3} size="h4" mb="xs">
        Badge
      </Title>
      {badge.data && <Image src={badge.data.png} alt={`Badge of ${content.title}`} w={160} h={160} mx="auto" fit="contain" data-testid="badge-preview" />}
      <Text size="xs" c="dimmed" ta="center" mt={4} data-testid="badge-source">
        {custom ? `Your own image: ${custom.name}` : "Shape and colour from the category; one mark per level."}
      </Text>
      {upload.data && upload.data.removed.length > 0 && (
        <Alert color="yellow" mt="xs" p="xs" data-testid="badge-sanitized">
          <Text size="xs">Removed from the SVG for safety:</Text>
          <List size="xs">
            {upload.data.removed.map((r, i) => (
              <List.Item key={i}>{r}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {(upload.error ?? clear.error) && (
        <Text c="red" size="xs" mt="xs" data-testid="badge-error">
          {asAppError(upload.error ?? clear.error).fields[0]?.message ?? asAppError(upload.error ?? clear.error).message}
        </Text>
      )}
      {editable && (
        <Group justify="center" gap="xs" mt="xs">
          <FileButton accept="image/png,image/svg+xml,.svg,.png" onChange={(f) => f && upload.mutate(f)} inputProps={{ "data-testid": "badge-input" } as React.ComponentProps<"input">}>
            {(props) => (
              <Button {...props} size="compact-xs" variant="light" loading={upload.isPending} data-testid="upload-badge">
                Use my own image
              </Button>
            )}
          </FileButton>
          {custom && (
            <Button size="compact-xs" variant="subtle" onClick={() => clear.mutate()}>
              Use the drawn badge
            </Button>
          )}
        </Group>
      )}
    </Card>
  );
}

export function ProposalEditor() {
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const client = useQueryClient();
  const navigate = useNavigate();
  const proposal = useQuery({ queryKey: keys.proposal(id), queryFn: () => api.getProposal(id) });
  const taxonomy = useQuery({ queryKey: keys.taxonomy, queryFn: api.taxonomy });
  const units = useQuery({ queryKey: keys.units, queryFn: api.listUnits });
  const session = useQuery({ queryKey: keys.session, queryFn: api.session });
  const languages = useLanguages();
  const acting = session.data?.workspace?.acting ?? null;
  const [content, setContent] = useState<ProposalContent | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  const [returning, setReturning] = useState(false);
  const [comment, setComment] = useState("");
  const loadedFor = useRef<number | null>(null);
  // The draft as stored when the form's content was read or last saved: saving over any
  // other (someone else saved since) is refused rather than overwriting their work.
  const base = useRef<string | null>(null);
  useEffect(() => {
    if (proposal.data && loadedFor.current !== proposal.data.id) {
      loadedFor.current = proposal.data.id;
      base.current = proposal.data.updated_at;
      setContent(proposal.data.content);
    }
  }, [proposal.data]);
  const versionNumber = viewing ? Number(viewing) : null;
  const version = useQuery({
    queryKey: ["proposal-version", id, versionNumber],
    queryFn: () => api.proposalVersion(id, versionNumber ?? 0),
    enabled: versionNumber !== null,
  });

  const editable = proposal.data?.status === "draft" && versionNumber === null;
  const stored = (p: ProposalView) => {
    base.current = p.updated_at;
    client.setQueryData(keys.proposal(id), p);
  };
  const save = useMutation({ mutationFn: (c: ProposalContent) => api.saveDraft(id, c, base.current), onSuccess: stored });
  const conflict = save.isError && asAppError(save.error).kind === "conflict" ? asAppError(save.error) : null;
  // Their version replaces the form's (what was typed since is not kept: it was refused).
  const reload = async () => {
    const fresh = await client.fetchQuery({ queryKey: keys.proposal(id), queryFn: () => api.getProposal(id), staleTime: 0 });
    base.current = fresh.updated_at;
    setContent(fresh.content);
    save.reset();
  };
  const [debounced] = useDebouncedValue(content, 800);
  // One save at a time: the next starts from the draft the last one stored (two in flight
  // would send the same base, and the server would refuse the second as someone else's
  // change). Content a save was refused for is not sent again until it changes.
  const tried = useRef<string | null>(null);
  useEffect(() => {
    if (!editable || move.isPending || save.isPending || conflict || !debounced || !proposal.data) return;
    const json = JSON.stringify(debounced);
    if (json === JSON.stringify(proposal.data.content) || json === tried.current) return;
    tried.current = json;
    save.mutate(debounced);
    // Driven by the debounced content, and by the end of the save before it.
  }, [debounced, save.isPending]);

  const move = useMutation({
    mutationFn: async (event: ProposalEvent) => {
      if (content && editable) stored(await api.saveDraft(id, content, base.current));
      return api.moveProposal(id, event);
    },
    onSuccess: (p) => {
      stored(p);
      setContent(p.content);
      setReturning(false);
      setComment("");
    },
  });

  // Files change through their own commands; the answer carries the proposal as stored.
  const filesChanged = (p: ProposalView) => {
    stored(p);
    setContent((c) => (c ? { ...c, attachments: p.content.attachments, custom_badge: p.content.custom_badge } : p.content));
  };

  const terms = (facet: string) =>
    (taxonomy.data?.terms ?? [])
      .filter((t) => t.facet === facet && !t.retired)
      .map((t) => ({ value: t.code, label: t.label }));
  const skills = useMemo(
    () => (taxonomy.data?.skills ?? []).map((s) => ({ value: `${s.framework}:${s.code}`, label: `${s.name} (${s.framework})` })),
    [taxonomy.data],
  );
  // The live policy check runs on what is shown, shortly after typing stops.
  const [checked] = useDebouncedValue(content, 300);
  const check = useQuery({
    queryKey: ["check", id, checked],
    queryFn: () => api.checkProposal(id, checked as ProposalContent),
    enabled: checked !== null,
    placeholderData: keepPreviousData,
  });

  if (proposal.isError) return <Alert color="red">{asAppError(proposal.error).message}</Alert>;
  if (!proposal.data || !content) return null;
  const p = proposal.data;
  const shown = versionNumber !== null && version.data ? version.data : content;
  // While a move is under way the form waits for its answer: the answer's content replaces
  // what is shown, so anything typed meanwhile would be lost (the refresh the change announces
  // can show the new status before the answer arrives).
  const disabled = !editable || move.isPending;
  const finding = (...fields: string[]) =>
    editable ? check.data?.findings.find((f) => fields.includes(f.field))?.message : undefined;
  // From the content as it is when React applies the change, not as this render saw it: two
  // changes before the next render (a field's blur and another's change) both keep.
  const set = (patch: Partial<ProposalContent>) => setContent((c) => (c ? { ...c, ...patch } : c));
  const text = (v: string | null) => (v === "" ? null : v);
  const moveError = move.error ? asAppError(move.error) : null;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <div>
          <Anchor size="sm" onClick={() => navigate("/proposals")}>
            ← Proposals
          </Anchor>
          <Title order={2} data-testid="proposal-title">
            {shown.title || "Untitled proposal"}
          </Title>
          <Group gap="xs">
            {p.kind !== "new" && (
              <Badge color="indigo.9" tt="none" data-testid="case-kind">
                {caseKindLabels[p.kind]}
              </Badge>
            )}
            <Badge color={statusColours[p.status]} variant="dot" tt="none" data-testid="proposal-status">
              {statusLabels[p.status]}
            </Badge>
            <Text size="sm" c="dimmed">
              {p.version ? `Version ${p.version}` : "Never submitted"}
              {editable && (save.isPending ? " · Saving…" : save.isSuccess ? " · Saved" : "")}
            </Text>
          </Group>
        </div>
        <Group align="flex-end">
          {p.version > 0 && (
            <Select
              label="Version history"
              placeholder="Current"
              clearable
              value={viewing}
              onChange={setViewing}
              data={Array.from({ length: p.version }, (_, i) => ({ value: String(i + 1), label: `Version ${i + 1} (read-only)` }))}
              w={210}
            />
          )}
          {p.status === "draft" && (
            <Button onClick={() => move.mutate({ kind: "submit" })} loading={move.isPending} data-testid="submit-proposal">
              Submit
            </Button>
          )}
          {p.status === "submitted" && (
            <>
              <Button color="teal.9" onClick={() => move.mutate({ kind: "accept_as_complete" })} data-testid="accept-proposal">
                Accept as complete
              </Button>
              <Button variant="default" onClick={() => setReturning(true)} data-testid="return-proposal">
                Return to draft
              </Button>
            </>
          )}
          {!p.final_state && (
            <Button variant="subtle" color="red" onClick={() => move.mutate({ kind: "withdraw" })}>
              Withdraw
            </Button>
          )}
        </Group>
      </Group>
      {conflict && (
        <ConflictAlert message={conflict.message} reload="Reload the draft" onReload={() => void reload()} testid="reload-draft" />
      )}
      {save.isError && !conflict && (
        <Alert color="red" data-testid="save-error">
          Not saved: {asAppError(save.error).message}
        </Alert>
      )}
      {moveError && (
        <Alert color="red" title={moveError.fields.length ? "Not yet" : undefined} data-testid="move-error">
          {moveError.fields.length ? (
            <List size="sm">
              {moveError.fields.map((f, i) => (
                <List.Item key={i}>
                  {proposalFieldLabel(f.field)}: {f.message}
                </List.Item>
              ))}
            </List>
          ) : (
            moveError.message
          )}
        </Alert>
      )}
      {versionNumber !== null && <Alert color="blue">You are reading version {versionNumber}, as it was submitted. It cannot be changed.</Alert>}
      <Group align="flex-start" gap="lg" wrap="nowrap">
        <Stack style={{ flex: 1 }} gap="md">
        {p.kind === "change" && <ChangeRequestPanel caseId={id} />}
        {p.kind === "termination" && <TerminationPanel caseId={id} />}
        <Accordion multiple defaultValue={["identity", "classification", "design", "languages", "assessment", "access", "need", "quality", "attachments"]} variant="separated">
          <Accordion.Item value="identity">
            <Accordion.Control>1. Identity</Accordion.Control>
            <Accordion.Panel>
              <Stack gap="sm">
                <TextInput label="Title" required disabled={disabled} value={shown.title} onChange={(e) => set({ title: e.currentTarget.value })} error={finding("title")} />
                <TextInput label="Short title (on the badge)" disabled={disabled} value={shown.short_title ?? ""} onChange={(e) => set({ short_title: text(e.currentTarget.value) })} />
                <Textarea label="Description" autosize minRows={2} disabled={disabled} value={shown.description} onChange={(e) => set({ description: e.currentTarget.value })} />
                <Select
                  label="Language of these texts"
                  description="The title, short title, description and outcomes; other languages below"
                  searchable
                  allowDeselect={false}
                  disabled={disabled}
                  value={shown.language ?? "en"}
                  onChange={(v) => v && set({ language: v })}
                  data={languageOptions(languages.data, [shown.language ?? "en"]).filter((o) => o.value === (shown.language ?? "en") || !shown.translations.some((t) => t.language === o.value))}
                  error={finding("language")}
                  data-testid="proposal-language"
                />
                <Select label="Proposing unit" searchable clearable disabled={disabled} value={shown.unit_id === null ? null : String(shown.unit_id)} onChange={(v) => set({ unit_id: v ? Number(v) : null })} data={(units.data ?? []).map((u) => ({ value: String(u.id), label: `${u.name} (${u.code})` }))} />
                <TextInput label="Contact email" disabled={disabled} value={shown.contact_email} onChange={(e) => set({ contact_email: e.currentTarget.value })} />
              </Stack>
            </Accordion.Panel>
          </Accordion.Item>
          <Accordion.Item value="classification">
            <Accordion.Control>2. Classification</Accordion.Control>
            <Accordion.Panel>
              <Group grow align="flex-start">
                <Select label="Credit status" clearable disabled={disabled} value={shown.credit_status} onChange={(v) => set({ credit_status: v })} data={terms("credit_status")} error={finding("credit_status")} />
                <Select label="Category" clearable disabled={disabled} value={shown.category} onChange={(v) => set({ category: v })} data={terms("category")} />
                <Select label="Level" clearable disabled={disabled} value={shown.level} onChange={(v) => set({ level: v })} data={terms("level")} error={finding("level")} />
                <Select label="Academic level" clearable disabled={disabled} value={shown.academic_level} onChange={(v) => set({ academic_level: v as AcademicLevel | null })} data={entries(academicLevels)} />
              </Group>
              <Group grow align="flex-start" mt="sm">
                <MultiSelect label="Audiences" searchable disabled={disabled} value={shown.audiences} onChange={(v) => set({ audiences: v })} data={terms("audience")} />
                <MultiSelect label="Credential forms" searchable disabled={disabled} value={shown.credential_forms} onChange={(v) => set({ credential_forms: v })} data={terms("credential_form")} />
              </Group>
            </Accordion.Panel>
          </Accordion.Item>
          <Accordion.Item value="design">
            <Accordion.Control>3. Learning design</Accordion.Control>
            <Accordion.Panel>
              <Stack gap="sm">
                <Textarea
                  label="Learning outcomes"
                  description="One outcome per line"
                  autosize
                  minRows={3}
                  disabled={disabled}
                  value={shown.outcomes.join("\n")}
                  onChange={(e) => set({ outcomes: e.currentTarget.value.split("\n") })}
                  error={finding("outcomes")}
                  data-testid="proposal-outcomes"
                />
                <MultiSelect label="Competencies" searchable disabled={disabled} value={shown.skills} onChange={(v) => set({ skills: v })} data={skills} error={finding("skills")} />
                <Group grow>
                  <NumberInput label="Credits" min={0} disabled={disabled} value={shown.workload.credits ?? ""} onChange={(v) => set({ workload: { ...shown.workload, credits: typeof v === "number" ? v : null } })} error={finding("workload.credits")} data-testid="proposal-credits" />
                  <NumberInput label="ECTS" min={0} disabled={disabled} value={shown.workload.ects ?? ""} onChange={(v) => set({ workload: { ...shown.workload, ects: typeof v === "number" ? v : null } })} error={finding("workload.ects")} />
                  <NumberInput label="Hours" min={0} disabled={disabled} value={shown.workload.hours ?? ""} onChange={(v) => set({ workload: { ...shown.workload, hours: typeof v === "number" ? v : null } })} />
                </Group>
              </Stack>
            </Accordion.Panel>
          </Accordion.Item>
          <Accordion.Item value="languages">
            <Accordion.Control>Other languages ({shown.translations.length})</Accordion.Control>
            <Accordion.Panel>
              <Translations content={shown} disabled={disabled} onChange={(translations) => set({ translations })} finding={finding} />
            </Accordion.Panel>
          </Accordion.Item>
          <Accordion.Item value="assessment">
            <Accordion.Control>4. Assessment and award</Accordion.Control>
            <Accordion.Panel>
              <Stack gap="sm">
                <MultiSelect label="Assessment types" searchable disabled={disabled} value={shown.assessment_types} onChange={(v) => set({ assessment_types: v })} data={terms("assessment_type")} error={finding("assessment_types")} data-testid="proposal-assessment" />
                <TextInput label="Award threshold" placeholder="e.g. 5 of 7 competencies" disabled={disabled} value={shown.award_threshold ?? ""} onChange={(e) => set({ award_threshold: text(e.currentTarget.value) })} />
                <TextInput label="Identity verification during assessment" disabled={disabled} value={shown.identity_verification ?? ""} onChange={(e) => set({ identity_verification: text(e.currentTarget.value) })} />
                <TextInput label="Evidence shown on the badge" disabled={disabled} value={shown.evidence ?? ""} onChange={(e) => set({ evidence: text(e.currentTarget.value) })} />
              </Stack>
            </Accordion.Panel>
          </Accordion.Item>
          <Accordion.Item value="access">
            <Accordion.Control>5. Access</Accordion.Control>
            <Accordion.Panel>
              <Stack gap="sm">
                {shown.prerequisites.map((r, i) => (
                  <Group key={i} align="flex-end" wrap="nowrap">
                    <Select label={i === 0 ? "Prerequisite" : undefined} aria-label="Prerequisite kind" disabled={disabled} allowDeselect={false} value={r.kind} onChange={(v) => set({ prerequisites: shown.prerequisites.map((x, j) => (j === i ? { ...x, kind: v as PrerequisiteKind } : x)) })} data={entries(prerequisiteKinds)} w={200} />
                    <TextInput aria-label="Prerequisite description" disabled={disabled} style={{ flex: 1 }} value={r.description} onChange={(e) => { const d = e.currentTarget.value; set({ prerequisites: shown.prerequisites.map((x, j) => (j === i ? { ...x, description: d } : x)) }); }} />
                    <ActionIcon variant="subtle" color="red" disabled={disabled} aria-label="Remove this prerequisite" onClick={() => set({ prerequisites: shown.prerequisites.filter((_, j) => j !== i) })}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                ))}
                {finding("prerequisites") && <Text c="red" size="sm">{finding("prerequisites")}</Text>}
                {!disabled && (
                  <Button variant="light" size="xs" w="fit-content" onClick={() => set({ prerequisites: [...shown.prerequisites, { kind: "course", description: "" }] })}>
                    Add a prerequisite
                  </Button>
                )}
                <Group grow>
                  <Select label="Delivery mode" clearable disabled={disabled} value={shown.delivery_mode} onChange={(v) => set({ delivery_mode: v })} data={terms("delivery_mode")} />
                  <TextInput label="Form of participation" disabled={disabled} value={shown.participation_form ?? ""} onChange={(e) => set({ participation_form: text(e.currentTarget.value) })} error={finding("participation_form")} />
                </Group>
              </Stack>
            </Accordion.Panel>
          </Accordion.Item>
          <Accordion.Item value="need">
            <Accordion.Control>6–8. Need and resources</Accordion.Control>
            <Accordion.Panel>
              <Stack gap="sm">
                <Textarea label="Rationale" autosize disabled={disabled} value={shown.rationale ?? ""} onChange={(e) => set({ rationale: text(e.currentTarget.value) })} />
                <TextInput label="Industry partner or external recognition" disabled={disabled} value={shown.industry_partner ?? ""} onChange={(e) => set({ industry_partner: text(e.currentTarget.value) })} />
                <Textarea label="Labour-market evidence" autosize disabled={disabled} value={shown.labour_market_evidence ?? ""} onChange={(e) => set({ labour_market_evidence: text(e.currentTarget.value) })} />
                <TextInput label="Fees and costs" disabled={disabled} value={shown.fees ?? ""} onChange={(e) => set({ fees: text(e.currentTarget.value) })} />
              </Stack>
            </Accordion.Panel>
          </Accordion.Item>
          <Accordion.Item value="quality">
            <Accordion.Control>9. Quality assurance and lifecycle</Accordion.Control>
            <Accordion.Panel>
              <Stack gap="sm">
                <TextInput label="Quality assurance" disabled={disabled} value={shown.quality_assurance ?? ""} onChange={(e) => set({ quality_assurance: text(e.currentTarget.value) })} error={finding("quality_assurance")} />
                <Group grow>
                  <NumberInput label="Review cycle (years)" min={0} disabled={disabled} value={shown.review_cycle_years ?? ""} onChange={(v) => set({ review_cycle_years: typeof v === "number" ? v : null })} error={finding("review_cycle_years")} data-testid="proposal-review-cycle" />
                  <NumberInput label="Badges expire after (months)" min={0} disabled={disabled} value={shown.expiry_months ?? ""} onChange={(v) => set({ expiry_months: typeof v === "number" ? v : null })} />
                  <TextInput label="Effective term" disabled={disabled} value={shown.effective_term ?? ""} onChange={(e) => set({ effective_term: text(e.currentTarget.value) })} />
                </Group>
              </Stack>
            </Accordion.Panel>
          </Accordion.Item>
          <Accordion.Item value="attachments">
            <Accordion.Control>10. Attachments ({shown.attachments.length})</Accordion.Control>
            <Accordion.Panel>
              <Attachments proposalId={id} files={shown.attachments} editable={editable} onChanged={filesChanged} />
            </Accordion.Panel>
          </Accordion.Item>
        </Accordion>
        {p.status !== "draft" && <DeliberationPanel proposalId={id} me={acting?.id} />}
        </Stack>
        <Stack style={{ width: 340, position: "sticky", top: 76 }} gap="md">
          <ReviewPanel proposalId={id} />
          <ChangesPanel proposalId={id} version={p.version} />
          <PolicyPanel check={check.data} error={check.error} pastVersion={versionNumber !== null} />
          <BadgeCard id={id} content={checked ?? shown} editable={editable} onChanged={filesChanged} />
        </Stack>
      </Group>
      <Modal opened={returning} onClose={() => setReturning(false)} title="Return to draft">
        <Stack>
          <Textarea label="What must the proposer complete?" required autosize minRows={3} value={comment} onChange={(e) => setComment(e.currentTarget.value)} error={moveError?.fields.find((f) => f.field === "comment")?.message} data-testid="return-comment" />
          <Group justify="flex-end">
            <Button onClick={() => move.mutate({ kind: "return_to_draft", comment })} loading={move.isPending} data-testid="confirm-return">
              Return to draft
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
