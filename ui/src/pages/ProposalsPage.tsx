import { useEffect, useMemo, useRef, useState } from "react";
import { Alert, Anchor, Badge, Button, Group, Modal, Select, Stack, Table, Text, TextInput, Title, UnstyledButton } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useNavigate } from "react-router";
import { api, asAppError, fieldError, keys } from "../api";
import type { ProposalQuery } from "../bindings/ProposalQuery";
import type { ProposalSort } from "../bindings/ProposalSort";
import type { ProposalStatus } from "../bindings/ProposalStatus";
import type { CaseKind } from "../bindings/CaseKind";
import { caseKindLabels, statusColours, statusLabels } from "../labels";

/** Rows fetched per request; the list asks for the next block as it scrolls near it. */
const BLOCK = 200;
const ROW_HEIGHT = 41;

/** Columns the backend can sort by, and the sort each header click asks for. */
const sortable: Record<string, [ProposalSort, ProposalSort]> = {
  Title: ["title", "title_desc"],
  Status: ["status", "status"],
  Version: ["version", "version"],
  Updated: ["updated", "updated_asc"],
};

/** Every proposal, filtered, searched and sorted by the backend in SQL; only the rows in
 * view are in the page (virtualized), so 10,000 proposals scroll as smoothly as 40. */
export function ProposalsPage() {
  const navigate = useNavigate();
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  const [kind, setKind] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [unit, setUnit] = useState<string | null>(null);
  const [category, setCategory] = useState<string | null>(null);
  const [level, setLevel] = useState<string | null>(null);
  const [credit, setCredit] = useState<string | null>(null);
  const [sort, setSort] = useState<ProposalSort>("updated");
  const [creating, setCreating] = useState(false);
  const [title, setTitle] = useState("");
  const units = useQuery({ queryKey: keys.units, queryFn: api.listUnits });
  const taxonomy = useQuery({ queryKey: keys.taxonomy, queryFn: api.taxonomy });
  const query: ProposalQuery = {
    kind: (kind as CaseKind | null) ?? null,
    status: (status as ProposalStatus | null) ?? null,
    unit_id: unit ? Number(unit) : null,
    category,
    level,
    credit_status: credit,
    search: debounced || null,
    sort,
    limit: BLOCK,
    offset: 0,
  };
  const proposals = useInfiniteQuery({
    queryKey: [...keys.proposals, "list", query],
    queryFn: ({ pageParam }) => api.listProposals({ ...query, offset: pageParam }),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, p) => n + p.rows.length, 0);
      return loaded < last.total && last.rows.length > 0 ? loaded : undefined;
    },
    placeholderData: keepPreviousData,
  });
  const rows = useMemo(() => (proposals.data?.pages ?? []).flatMap((p) => p.rows), [proposals.data]);
  const total = proposals.data?.pages[0]?.total ?? 0;
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtual.getVirtualItems();
  const lastItem = items[items.length - 1];
  const lastIndex = lastItem?.index ?? 0;
  useEffect(() => {
    if (lastIndex >= rows.length - 1 && proposals.hasNextPage && !proposals.isFetchingNextPage) {
      void proposals.fetchNextPage();
    }
  }, [lastIndex, rows.length, proposals]);
  const create = useMutation({
    mutationFn: () => api.createProposal(title),
    onSuccess: (p) => navigate(`/proposals/${p.id}`),
  });
  const terms = (facet: string) =>
    (taxonomy.data?.terms ?? []).filter((t) => t.facet === facet).map((t) => ({ value: t.code, label: t.label }));
  const unitName = new Map((units.data ?? []).map((u) => [u.id, u.code]));
  const categoryLabel = new Map(terms("category").map((t) => [t.value, t.label]));
  const filter = (label: string, value: string | null, set: (v: string | null) => void, data: { value: string; label: string }[]) => (
    <Select label={label} placeholder="All" clearable value={value} onChange={set} data={data} w={170} />
  );
  const header = (label: string) => {
    const options = sortable[label];
    if (!options) return <Table.Th key={label}>{label}</Table.Th>;
    const active = options.includes(sort);
    const next = sort === options[0] && options[0] !== options[1] ? options[1] : options[0];
    return (
      <Table.Th key={label} aria-sort={active ? (sort === options[1] && options[0] !== options[1] ? "descending" : "ascending") : undefined}>
        <UnstyledButton onClick={() => setSort(next)} fw={700} fz="sm" data-testid={`sort-${label.toLowerCase()}`}>
          {label} {active ? (sort === options[1] && options[0] !== options[1] ? "↓" : "↑") : ""}
        </UnstyledButton>
      </Table.Th>
    );
  };
  const padTop = items[0]?.start ?? 0;
  const padBottom = lastItem ? virtual.getTotalSize() - lastItem.end : 0;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <div>
          <Title order={2}>Proposals</Title>
          <Text c="dimmed" size="sm">
            New microcredentials, change requests and terminations, from draft through decision.
          </Text>
        </div>
        <Button onClick={() => setCreating(true)} data-testid="new-proposal">
          New proposal
        </Button>
      </Group>
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Search"
          placeholder="Words in titles, descriptions or outcomes"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={300}
          data-testid="proposal-search"
        />
        {filter("Kind", kind, setKind, Object.entries(caseKindLabels).map(([value, label]) => ({ value, label })))}
        {filter("Status", status, setStatus, Object.entries(statusLabels).map(([value, label]) => ({ value, label })))}
        {filter("Unit", unit, setUnit, (units.data ?? []).map((u) => ({ value: String(u.id), label: `${u.code} ${u.name}` })))}
        {filter("Category", category, setCategory, terms("category"))}
        {filter("Level", level, setLevel, terms("level"))}
        {filter("Credit status", credit, setCredit, terms("credit_status"))}
      </Group>
      {proposals.error && <Alert color="red">{asAppError(proposals.error).message}</Alert>}
      <Text size="sm" c="dimmed" data-testid="proposal-count">
        {total} {total === 1 ? "case" : "cases"}
      </Text>
      <div ref={scroller} style={{ height: "calc(100vh - 300px)", minHeight: 320, overflowY: "auto" }} data-testid="proposals-scroller">
        <Table striped highlightOnHover stickyHeader data-testid="proposals-table" style={{ tableLayout: "fixed" }}>
          <Table.Thead>
            <Table.Tr>{["Title", "Status", "Unit", "Category", "Version", "Updated"].map(header)}</Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {padTop > 0 && <tr style={{ height: padTop }} aria-hidden />}
            {items.map((item) => {
              const p = rows[item.index];
              return (
                <Table.Tr key={p?.id ?? `loading-${item.index}`} style={{ height: ROW_HEIGHT }} data-index={item.index}>
                  {p ? (
                    <>
                      <Table.Td style={{ whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" }}>
                        {p.kind !== "new" && (
                          <Badge size="xs" color="indigo.9" tt="none" mr={6}>
                            {caseKindLabels[p.kind]}
                          </Badge>
                        )}
                        <Anchor size="sm" onClick={() => navigate(`/proposals/${p.id}`)} title={p.title}>
                          {p.title}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Badge color={statusColours[p.status]} variant="dot" tt="none">
                          {statusLabels[p.status]}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{p.unit_id !== null ? unitName.get(p.unit_id) ?? "" : "—"}</Table.Td>
                      <Table.Td>{(p.category && categoryLabel.get(p.category)) ?? "—"}</Table.Td>
                      <Table.Td>{p.version || "—"}</Table.Td>
                      <Table.Td>{new Date(p.updated_at).toLocaleDateString()}</Table.Td>
                    </>
                  ) : (
                    <Table.Td colSpan={6}>
                      <Text size="sm" c="dimmed">
                        Loading…
                      </Text>
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
            {padBottom > 0 && <tr style={{ height: padBottom }} aria-hidden />}
          </Table.Tbody>
        </Table>
      </div>
      <Modal opened={creating} onClose={() => setCreating(false)} title="New proposal">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <Stack>
            <TextInput
              label="Title"
              required
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              error={fieldError(create.error, "title")}
              data-testid="new-proposal-title"
            />
            {create.error && !fieldError(create.error, "title") && <Alert color="red">{asAppError(create.error).message}</Alert>}
            <Group justify="flex-end">
              <Button type="submit" loading={create.isPending} data-testid="create-proposal">
                Create draft
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
