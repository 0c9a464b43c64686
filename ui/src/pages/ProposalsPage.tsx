import { useState } from "react";
import { Alert, Badge, Button, Group, Modal, Pagination, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { api, asAppError, fieldError, keys } from "../api";
import type { ProposalQuery } from "../bindings/ProposalQuery";
import type { ProposalStatus } from "../bindings/ProposalStatus";
import { statusColours, statusLabels } from "../labels";

const PAGE = 100;

/** Every proposal, filtered, searched and paged by the backend in SQL. */
export function ProposalsPage() {
  const navigate = useNavigate();
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  const [status, setStatus] = useState<string | null>(null);
  const [unit, setUnit] = useState<string | null>(null);
  const [category, setCategory] = useState<string | null>(null);
  const [level, setLevel] = useState<string | null>(null);
  const [credit, setCredit] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [title, setTitle] = useState("");
  const units = useQuery({ queryKey: keys.units, queryFn: api.listUnits });
  const taxonomy = useQuery({ queryKey: keys.taxonomy, queryFn: api.taxonomy });
  const query: ProposalQuery = {
    status: (status as ProposalStatus | null) ?? null,
    unit_id: unit ? Number(unit) : null,
    category,
    level,
    credit_status: credit,
    search: debounced || null,
    limit: PAGE,
    offset: (page - 1) * PAGE,
  };
  const proposals = useQuery({
    queryKey: [...keys.proposals, query],
    queryFn: () => api.listProposals(query),
    placeholderData: keepPreviousData,
  });
  const create = useMutation({
    mutationFn: () => api.createProposal(title),
    onSuccess: (p) => navigate(`/proposals/${p.id}`),
  });
  const terms = (facet: string) =>
    (taxonomy.data?.terms ?? []).filter((t) => t.facet === facet).map((t) => ({ value: t.code, label: t.label }));
  const unitName = new Map((units.data ?? []).map((u) => [u.id, u.code]));
  const total = proposals.data?.total ?? 0;
  const filter = (label: string, value: string | null, set: (v: string | null) => void, data: { value: string; label: string }[]) => (
    <Select
      label={label}
      placeholder="All"
      clearable
      value={value}
      onChange={(v) => {
        set(v);
        setPage(1);
      }}
      data={data}
      w={170}
    />
  );
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <div>
          <Title order={2}>Proposals</Title>
          <Text c="dimmed" size="sm">
            Microcredential proposals from draft through review.
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
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setPage(1);
          }}
          w={300}
          data-testid="proposal-search"
        />
        {filter("Status", status, setStatus, Object.entries(statusLabels).map(([value, label]) => ({ value, label })))}
        {filter("Unit", unit, setUnit, (units.data ?? []).map((u) => ({ value: String(u.id), label: `${u.code} ${u.name}` })))}
        {filter("Category", category, setCategory, terms("category"))}
        {filter("Level", level, setLevel, terms("level"))}
        {filter("Credit status", credit, setCredit, terms("credit_status"))}
      </Group>
      {proposals.error && <Alert color="red">{asAppError(proposals.error).message}</Alert>}
      <Text size="sm" c="dimmed" data-testid="proposal-count">
        {total} proposal{total === 1 ? "" : "s"}
      </Text>
      <Table striped highlightOnHover data-testid="proposals-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Title</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Unit</Table.Th>
            <Table.Th>Category</Table.Th>
            <Table.Th>Version</Table.Th>
            <Table.Th>Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(proposals.data?.rows ?? []).map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>
                <Button variant="subtle" size="compact-sm" onClick={() => navigate(`/proposals/${p.id}`)}>
                  {p.title}
                </Button>
              </Table.Td>
              <Table.Td>
                <Badge color={statusColours[p.status]} variant="dot" tt="none">
                  {statusLabels[p.status]}
                </Badge>
              </Table.Td>
              <Table.Td>{p.unit_id !== null ? unitName.get(p.unit_id) ?? "" : "—"}</Table.Td>
              <Table.Td>{terms("category").find((t) => t.value === p.category)?.label ?? "—"}</Table.Td>
              <Table.Td>{p.version || "—"}</Table.Td>
              <Table.Td>{new Date(p.updated_at).toLocaleDateString()}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {total > PAGE && <Pagination total={Math.ceil(total / PAGE)} value={page} onChange={setPage} />}
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
