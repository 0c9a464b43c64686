import { useState } from "react";
import {
  Accordion,
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  ColorInput,
  FileButton,
  Grid,
  Group,
  Image,
  Loader,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, asAppError, fieldError, keys } from "../api";
import { fileData } from "../files";
import { languageOptions, useLanguages } from "../components/Translations";
import type { Blocks } from "../bindings/Blocks";
import type { CertificatePreview } from "../bindings/CertificatePreview";
import type { Signatory } from "../bindings/Signatory";
import type { Template } from "../bindings/Template";
import type { TemplateInput } from "../bindings/TemplateInput";
import type { Wording } from "../bindings/Wording";

const wordingFields: [keyof Wording, string][] = [
  ["certifies", "Above the name"],
  ["awarded", "The award date"],
  ["credits", "Credits"],
  ["hours", "Hours"],
  ["outcomes", "Over the outcomes"],
  ["more_outcomes", "Where outcomes do not fit"],
  ["recognized", "Instead of the completion text, for recognition of prior learning"],
  ["verification", "How to verify"],
];

/** The certificate as the backend draws it (SVG of the same layout as the PDF). */
export function CertificateImage({ preview, testid }: { preview: CertificatePreview; testid: string }) {
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(preview.svg)}`;
  return (
    <Image
      src={src}
      alt={`Certificate preview: ${preview.text.join(" · ")}`}
      data-testid={testid}
      style={{ border: "1px solid var(--mantine-color-default-border)", background: "white" }}
    />
  );
}

/** A stored signature image, small, beside its signatory. */
function SignatureThumb({ sha, name }: { sha: string; name: string }) {
  const image = useQuery({ queryKey: ["certificates", "signature", sha], queryFn: () => api.signatureImage(sha), staleTime: Infinity });
  return image.data ? <Image src={image.data} alt={`Signature of ${name || "this signatory"}`} h={32} w="auto" fit="contain" /> : null;
}

const blockLabels: [keyof Blocks, string][] = [
  ["logo", "Institution logo"],
  ["category_level", "Category and level"],
  ["credits", "Credits and workload"],
  ["outcomes", "Learning outcomes"],
  ["signatories", "Signatures"],
  ["badge", "Badge image"],
  ["verification", "Verification (QR code)"],
];

function Editor({ id, initial, onDone }: { id: number | null; initial: TemplateInput; onDone: () => void }) {
  const client = useQueryClient();
  const taxonomy = useQuery({ queryKey: keys.taxonomy, queryFn: api.taxonomy });
  const [draft, setDraft] = useState<TemplateInput>(initial);
  const [debounced] = useDebouncedValue(draft, 300);
  const setSignatory = (index: number, patch: Partial<Signatory>) =>
    setDraft((d) => ({ ...d, signatories: d.signatories.map((s, i) => (i === index ? { ...s, ...patch } : s)) }));
  const preview = useQuery({
    queryKey: ["certificates", "preview", JSON.stringify(debounced)],
    queryFn: () => api.previewCertificateTemplate(debounced),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const refresh = () => void client.invalidateQueries({ queryKey: keys.certificates });
  const save = useMutation({ mutationFn: () => api.saveCertificateTemplate(id, draft), onSuccess: () => { refresh(); onDone(); } });
  const remove = useMutation({ mutationFn: () => api.deleteCertificateTemplate(id ?? 0), onSuccess: () => { refresh(); onDone(); } });
  const upload = useMutation({
    mutationFn: async ({ index, file }: { index: number; file: File }) => ({
      index,
      sha: await api.addSignatureImage(`signatories[${index}].signature`, await fileData(file)),
    }),
    onSuccess: ({ index, sha }) => setSignatory(index, { signature: sha }),
  });
  const terms = (facet: string) =>
    (taxonomy.data?.terms ?? []).filter((t) => t.facet === facet && !t.retired).map((t) => ({ value: t.code, label: t.label }));
  const set = <K extends keyof TemplateInput>(k: K, v: TemplateInput[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const languages = useLanguages();
  const error = save.error ?? preview.error;
  const other = error ? asAppError(error).fields.filter((f) => f.field.startsWith("signatories")) : [];
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack gap="xs">
          <TextInput label="Name" value={draft.name} onChange={(e) => set("name", e.currentTarget.value)} error={fieldError(error, "name")} data-testid="template-name" />
          <Group grow>
            <Select label="For category" placeholder="Any category" clearable data={terms("category")} value={draft.category} onChange={(v) => set("category", v)} error={fieldError(error, "category")} />
            <Select label="For level" placeholder="Any level" clearable data={terms("level")} value={draft.level} onChange={(v) => set("level", v)} error={fieldError(error, "level")} />
          </Group>
          <Group>
            <SegmentedControl aria-label="Paper" value={draft.paper} onChange={(v) => set("paper", v as TemplateInput["paper"])} data={[{ value: "a4", label: "A4" }, { value: "letter", label: "US Letter" }]} />
            <SegmentedControl aria-label="Orientation" value={draft.orientation} onChange={(v) => set("orientation", v as TemplateInput["orientation"])} data={[{ value: "landscape", label: "Landscape" }, { value: "portrait", label: "Portrait" }]} data-testid="template-orientation" />
            <SegmentedControl aria-label="Typeface" value={draft.typeface} onChange={(v) => set("typeface", v as TemplateInput["typeface"])} data={[{ value: "serif", label: "Serif" }, { value: "sans", label: "Sans" }]} />
          </Group>
          <Group grow>
            <ColorInput label="Frame and heading colour" value={draft.primary_colour} onChange={(v) => set("primary_colour", v)} error={fieldError(error, "primary_colour")} format="hex" />
            <ColorInput label="Title colour" value={draft.accent_colour} onChange={(v) => set("accent_colour", v)} error={fieldError(error, "accent_colour")} format="hex" />
          </Group>
          <Select
            label="Language"
            description="Microcredentials given in this language are printed and issued in it; the others in their own. Write the heading, the line below and the words on the certificate in it."
            placeholder="Each microcredential's own"
            clearable
            searchable
            data={languageOptions(languages.data, [draft.language])}
            value={draft.language}
            onChange={(v) => set("language", v)}
            error={fieldError(error, "language")}
            data-testid="template-language"
          />
          <TextInput label="Heading" value={draft.heading} onChange={(e) => set("heading", e.currentTarget.value)} error={fieldError(error, "heading")} data-testid="template-heading" />
          <TextInput label="Line before the title" value={draft.completion_text} onChange={(e) => set("completion_text", e.currentTarget.value)} error={fieldError(error, "completion_text")} />
          <Accordion variant="contained" chevronPosition="left">
            <Accordion.Item value="wording">
              <Accordion.Control data-testid="template-wording">Words on the certificate</Accordion.Control>
              <Accordion.Panel>
                <Stack gap="xs">
                  <Text size="xs" c="dimmed">
                    In the template&apos;s language. {"{date}"} and {"{n}"} mark where the award date and a number go.
                  </Text>
                  {wordingFields.map(([key, label]) => (
                    <TextInput
                      key={key}
                      label={label}
                      size="xs"
                      value={draft.wording[key]}
                      onChange={(e) => {
                        const value = e.currentTarget.value;
                        setDraft((d) => ({ ...d, wording: { ...d.wording, [key]: value } }));
                      }}
                      error={fieldError(error, `wording.${key}`)}
                    />
                  ))}
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>
          <Text size="sm" fw={500}>
            Shows
          </Text>
          <Group gap="md">
            {blockLabels.map(([k, label]) => (
              <Checkbox key={k} label={label} checked={draft.blocks[k]} onChange={(e) => set("blocks", { ...draft.blocks, [k]: e.currentTarget.checked })} />
            ))}
          </Group>
          <Text size="sm" fw={500}>
            Signatories (up to five)
          </Text>
          {draft.signatories.map((s, i) => (
            <Group key={i} align="flex-end" wrap="nowrap">
              <TextInput label="Name" value={s.name} onChange={(e) => setSignatory(i, { name: e.currentTarget.value })} error={fieldError(error, `signatories[${i}].name`)} w={170} />
              <TextInput label="Title" value={s.title} onChange={(e) => setSignatory(i, { title: e.currentTarget.value })} error={fieldError(error, `signatories[${i}].title`)} w={200} />
              <FileButton onChange={(f) => f && upload.mutate({ index: i, file: f })} accept="image/png,image/jpeg" inputProps={{ "data-testid": `signature-input-${i}` } as React.ComponentProps<"input">}>
                {(props) => (
                  <Button {...props} variant="default" size="sm" loading={upload.isPending && upload.variables?.index === i}>
                    {s.signature ? "Replace signature" : "Signature image…"}
                  </Button>
                )}
              </FileButton>
              {s.signature && <SignatureThumb sha={s.signature} name={s.name} />}
              <ActionIcon variant="subtle" color="red" aria-label={`Remove signatory ${i + 1}`} onClick={() => setDraft((d) => ({ ...d, signatories: d.signatories.filter((_, j) => j !== i) }))}>
                ✕
              </ActionIcon>
            </Group>
          ))}
          {draft.signatories.length < 5 && (
            <Button variant="subtle" size="xs" w="fit-content" onClick={() => set("signatories", [...draft.signatories, { name: "", title: "", signature: null }])}>
              Add a signatory
            </Button>
          )}
          {upload.error && (
            <Alert color="red" data-testid="template-upload-error">
              {asAppError(upload.error).fields.map((f) => `${f.field}: ${f.message}`).join("; ") || asAppError(upload.error).message}
            </Alert>
          )}
          {other.length > 0 && <Alert color="red">{other.map((f) => `${f.field}: ${f.message}`).join("; ")}</Alert>}
          <Group>
            <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="template-save">
              Save template
            </Button>
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
            {id !== null && (
              <Button variant="subtle" color="red" onClick={() => remove.mutate()} loading={remove.isPending}>
                Delete
              </Button>
            )}
          </Group>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Group gap="xs" mb={4}>
          <Text size="sm" fw={500}>
            Live preview
          </Text>
          {preview.isFetching && <Loader size="xs" />}
        </Group>
        {preview.data && <CertificateImage preview={preview.data} testid="template-preview" />}
        {preview.error && !save.error && (
          <Text size="sm" c="red.8" mt="xs">
            The preview waits for: {asAppError(preview.error).fields.map((f) => `${f.field}: ${f.message}`).join("; ") || asAppError(preview.error).message}
          </Text>
        )}
      </Grid.Col>
    </Grid>
  );
}

/** Certificate templates: which one each category and level gets, edited with a live preview. */
export function CertificateTemplates() {
  const list = useQuery({ queryKey: keys.certificates, queryFn: api.certificateTemplates });
  const taxonomy = useQuery({ queryKey: keys.taxonomy, queryFn: api.taxonomy });
  const [editing, setEditing] = useState<{ id: number | null; input: TemplateInput } | null>(null);
  const label = (code: string | null, facet: string) =>
    code ? (taxonomy.data?.terms.find((t) => t.facet === facet && t.code === code)?.label ?? code) : `any ${facet}`;
  const row = (t: Template) => (
    <Table.Tr key={t.id ?? "standard"}>
      <Table.Td>{t.input.name}</Table.Td>
      <Table.Td>
        {label(t.input.category, "category")}, {label(t.input.level, "level")}
      </Table.Td>
      <Table.Td>
        {t.input.paper === "a4" ? "A4" : "US Letter"}, {t.input.orientation}
      </Table.Td>
      <Table.Td>{t.input.signatories.length}</Table.Td>
      <Table.Td>
        <Button size="xs" variant="default" onClick={() => setEditing({ id: t.id, input: t.input })} aria-label={`Edit ${t.input.name}`}>
          Edit
        </Button>
      </Table.Td>
    </Table.Tr>
  );
  return (
    <Card withBorder padding="md" data-testid="certificate-templates">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>Certificate templates</Text>
        {!editing && list.data && (
          <Button size="xs" variant="light" onClick={() => setEditing({ id: null, input: { ...list.data.standard, name: "" } })} data-testid="template-new">
            New template
          </Button>
        )}
      </Group>
      {editing ? (
        <Editor key={editing.id ?? "new"} id={editing.id} initial={editing.input} onDone={() => setEditing(null)} />
      ) : (
        <>
          <Text size="sm" c="dimmed" mb="xs">
            Each certificate uses the most specific template for its microcredential's category and level; where none applies, the standard one.
          </Text>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Template</Table.Th>
                <Table.Th>Applies to</Table.Th>
                <Table.Th>Paper</Table.Th>
                <Table.Th>Signatures</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(list.data?.templates ?? []).map(row)}
              {list.data && list.data.templates.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Badge color="gray.7">Standard</Badge> <Text span size="sm">applies to every microcredential until you add a template</Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Card>
  );
}
