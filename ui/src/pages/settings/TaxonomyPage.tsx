import { useState } from "react";
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  ColorInput,
  FileButton,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { FormFooter, useFormSave } from "../../components/FormFooter";
import { api, asAppError, fieldError, keys } from "../../api";
import type { Facet } from "../../bindings/Facet";
import type { Term } from "../../bindings/Term";
import type { BadgeShape } from "../../bindings/BadgeShape";

const facets: Record<Facet, string> = {
  category: "Categories",
  level: "Levels",
  credit_status: "Credit status",
  audience: "Audiences",
  credential_form: "Credential forms",
  assessment_type: "Assessment types",
  delivery_mode: "Delivery modes",
};

const shapes: Record<BadgeShape, string> = { circle: "Circle", shield: "Shield", hexagon: "Hexagon", ribbon: "Ribbon" };

function TermForm({ term, onDone }: { term: Term; onDone: () => void }) {
  const [t, setT] = useState<Term>(term);
  const save = useFormSave(api.putTerm, [keys.taxonomy], onDone);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(t);
      }}
    >
      <Stack>
        <TextInput label="Code" description="Stable; used in proposals and exports" required value={t.code} onChange={(e) => setT({ ...t, code: e.currentTarget.value })} error={fieldError(save.error, "code")} />
        <TextInput label="Label" required value={t.label} onChange={(e) => setT({ ...t, label: e.currentTarget.value })} error={fieldError(save.error, "label")} />
        <NumberInput label="Order" value={t.rank} onChange={(v) => setT({ ...t, rank: typeof v === "number" ? v : 0 })} />
        {t.facet === "category" && (
          <>
            <ColorInput label="Badge colour" value={t.colour ?? ""} onChange={(v) => setT({ ...t, colour: v || null })} error={fieldError(save.error, "colour")} />
            <Select label="Badge shape" value={t.shape} onChange={(v) => setT({ ...t, shape: v as BadgeShape | null })} data={Object.entries(shapes).map(([value, label]) => ({ value, label }))} />
            <Checkbox label="Participation award (unassessed)" checked={t.participation_award} onChange={(e) => setT({ ...t, participation_award: e.currentTarget.checked })} />
          </>
        )}
        {t.facet === "credit_status" && (
          <Checkbox label="Carries academic credit" checked={t.credit_bearing} onChange={(e) => setT({ ...t, credit_bearing: e.currentTarget.checked })} />
        )}
        <Switch label="Retired (kept for records that use it; not offered for new ones)" checked={t.retired} onChange={(e) => setT({ ...t, retired: e.currentTarget.checked })} />
        <FormFooter error={save.error} onCancel={onDone} saving={save.isPending} label="Save term" />
      </Stack>
    </form>
  );
}

function SkillsPanel() {
  const client = useQueryClient();
  const taxonomy = useQuery({ queryKey: keys.taxonomy, queryFn: api.taxonomy });
  const [framework, setFramework] = useState("");
  const upload = useMutation({
    mutationFn: async (file: File) => api.importSkills(framework, await file.text()),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.taxonomy }),
  });
  const error = upload.error ? asAppError(upload.error) : null;
  return (
    <Stack>
      <Group align="flex-end">
        <TextInput label="Framework" placeholder="ESCO, O*NET, Lightcast, or your own" value={framework} onChange={(e) => setFramework(e.currentTarget.value)} />
        <FileButton onChange={(f) => f && upload.mutate(f)} accept=".csv,text/csv">
          {(props) => (
            <Button {...props} variant="light" loading={upload.isPending}>
              Import skills from CSV
            </Button>
          )}
        </FileButton>
        <Text size="xs" c="dimmed">
          Columns: code, name, description, url
        </Text>
      </Group>
      {upload.isSuccess && <Text c="teal.8" size="sm">Imported {upload.data} skills.</Text>}
      {error && (
        <Alert color="red" title="Nothing was imported">
          {error.fields.length ? error.fields.map((f, i) => <div key={i}>{f.field}: {f.message}</div>) : error.message}
        </Alert>
      )}
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Framework</Table.Th>
            <Table.Th>Code</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Description</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(taxonomy.data?.skills ?? []).map((s) => (
            <Table.Tr key={`${s.framework}:${s.code}`}>
              <Table.Td>{s.framework}</Table.Td>
              <Table.Td>{s.code}</Table.Td>
              <Table.Td>{s.name}</Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={2}>
                  {s.description}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** Settings > Taxonomy: the facets' terms, and skills frameworks. Every change is audited. */
export function TaxonomyPage() {
  const taxonomy = useQuery({ queryKey: keys.taxonomy, queryFn: api.taxonomy });
  const [editing, setEditing] = useState<Term | null>(null);
  const blank = (facet: Facet): Term => ({ facet, code: "", label: "", rank: 99, retired: false, colour: null, shape: null, participation_award: false, credit_bearing: false });
  return (
    <Stack gap="md">
      <div>
        <Title order={2}>Taxonomy</Title>
        <Text c="dimmed" size="sm">
          How microcredentials are classified. Terms in use are retired, never deleted.
        </Text>
      </div>
      <Tabs defaultValue="category" keepMounted={false}>
        <Tabs.List>
          {Object.entries(facets).map(([facet, label]) => (
            <Tabs.Tab key={facet} value={facet}>
              {label}
            </Tabs.Tab>
          ))}
          <Tabs.Tab value="skills">Skills frameworks</Tabs.Tab>
        </Tabs.List>
        {(Object.keys(facets) as Facet[]).map((facet) => (
          <Tabs.Panel key={facet} value={facet} pt="md">
            <Table striped highlightOnHover data-testid={`terms-${facet}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Order</Table.Th>
                  <Table.Th>Code</Table.Th>
                  <Table.Th>Label</Table.Th>
                  <Table.Th>Details</Table.Th>
                  <Table.Th>
                    <span className="visually-hidden">Actions</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(taxonomy.data?.terms ?? [])
                  .filter((t) => t.facet === facet)
                  .map((t) => (
                    <Table.Tr key={t.code}>
                      <Table.Td>{t.rank}</Table.Td>
                      <Table.Td>{t.code}</Table.Td>
                      <Table.Td>{t.label}</Table.Td>
                      <Table.Td>
                        <Group gap={6}>
                          {t.colour && <span style={{ display: "inline-block", width: 14, height: 14, borderRadius: 3, background: t.colour }} role="img" aria-label={`colour ${t.colour}`} />}
                          {t.shape && <Text size="sm">{shapes[t.shape]}</Text>}
                          {t.participation_award && <Badge variant="default" tt="none">Participation award</Badge>}
                          {t.credit_bearing && <Badge variant="default" tt="none">Credit</Badge>}
                          {t.retired && <Badge variant="default" tt="none">Retired</Badge>}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Button size="compact-sm" variant="subtle" onClick={() => setEditing(t)} aria-label={`Edit ${t.label}`}>
                          Edit
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
              </Table.Tbody>
            </Table>
            <Button mt="sm" variant="light" onClick={() => setEditing(blank(facet))}>
              Add a term
            </Button>
          </Tabs.Panel>
        ))}
        <Tabs.Panel value="skills" pt="md">
          <SkillsPanel />
        </Tabs.Panel>
      </Tabs>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing?.code ? `Edit ${editing.label}` : "Add a term"}>
        {editing && <TermForm term={editing} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}
