import { Fragment, useState } from "react";
import { ActionIcon, Code, Group, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { IconChevronDown, IconChevronRight } from "@tabler/icons-react";
import { api, keys } from "../api";
import type { AuditEntry } from "../bindings/AuditEntry";
import type { JsonValue } from "../bindings/serde_json/JsonValue";
import { entityLabels } from "../labels";

type Row = { field: string; before: string; after: string };

function show(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return "—";
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** The fields an entry changed, side by side, for reading; the stored JSON is the record. */
function changes(entry: AuditEntry): Row[] {
  const asObject = (v: JsonValue | null) =>
    v && typeof v === "object" && !Array.isArray(v) ? (v as { [k: string]: JsonValue | undefined }) : {};
  const before = asObject(entry.before);
  const after = asObject(entry.after);
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields
    .filter((f) => show(before[f]) !== show(after[f]))
    .map((f) => ({ field: f, before: show(before[f]), after: show(after[f]) }));
}

/** What the entry is about, in words: the record's name or code where its JSON carries one. */
function recordTitle(entry: AuditEntry): string {
  const pick = (v: JsonValue | null) => {
    if (!v || typeof v !== "object" || Array.isArray(v)) return null;
    const found = ["name", "title", "label", "code"].map((k) => v[k]).find((x) => typeof x === "string");
    return typeof found === "string" ? found : null;
  };
  const label = entityLabels[entry.entity] ?? entry.entity;
  const name = pick(entry.after) ?? pick(entry.before);
  return name ? `${label}: ${name}` : `${label} ${entry.entity_id}`;
}

function EntryRow({ entry, showRecord }: { entry: AuditEntry; showRecord: boolean }) {
  const [open, setOpen] = useState(false);
  const rows = changes(entry);
  return (
    <Fragment>
      <Table.Tr>
        <Table.Td>
          <ActionIcon
            variant="subtle"
            size="sm"
            onClick={() => setOpen(!open)}
            aria-label={open ? `Hide the changes of entry ${entry.seq}` : `Show the changes of entry ${entry.seq}`}
            aria-expanded={open}
          >
            {open ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
          </ActionIcon>
        </Table.Td>
        <Table.Td>{entry.seq}</Table.Td>
        <Table.Td>
          <Text size="sm" title={entry.at}>
            {new Date(entry.at).toLocaleString()}
          </Text>
        </Table.Td>
        <Table.Td>{entry.actor_name}</Table.Td>
        {showRecord && (
          <Table.Td>{recordTitle(entry)}</Table.Td>
        )}
        <Table.Td>{entry.action.replace("_", " ")}</Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr>
          <Table.Td colSpan={showRecord ? 6 : 5}>
            <Table withRowBorders={false} fz="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Field</Table.Th>
                  <Table.Th>Before</Table.Th>
                  <Table.Th>After</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.field}>
                    <Table.Td>{r.field}</Table.Td>
                    <Table.Td>
                      <Code>{r.before}</Code>
                    </Table.Td>
                    <Table.Td>
                      <Code>{r.after}</Code>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group gap={4} mt={4}>
              <Text size="xs" c="dimmed">
                Entry hash
              </Text>
              <Code fz="xs">{entry.hash}</Code>
            </Group>
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}

/** The audit entries of one record (entity and id), or of everything when both are absent. */
export function AuditTrail({ entity, entityId }: { entity?: string | null; entityId?: string | null }) {
  const query = { entity: entity ?? null, entity_id: entityId ?? null, before_seq: null, limit: 500 };
  const entries = useQuery({ queryKey: [...keys.audit, query], queryFn: () => api.auditEntries(query) });
  const showRecord = !entityId;
  if (entries.data?.length === 0) return <Text c="dimmed">No changes recorded.</Text>;
  return (
    <Table striped highlightOnHover data-testid="audit-trail">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>
            <span className="visually-hidden">Details</span>
          </Table.Th>
          <Table.Th>#</Table.Th>
          <Table.Th>When</Table.Th>
          <Table.Th>Who</Table.Th>
          {showRecord && <Table.Th>Record</Table.Th>}
          <Table.Th>Action</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {(entries.data ?? []).map((e) => (
          <EntryRow key={e.seq} entry={e} showRecord={showRecord} />
        ))}
      </Table.Tbody>
    </Table>
  );
}
