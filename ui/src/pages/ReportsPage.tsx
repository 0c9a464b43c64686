import { Alert, Button, Card, Group, List, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { api, asAppError, keys } from "../api";
import type { CaseKind } from "../bindings/CaseKind";
import { caseKindLabels, statusLabels } from "../labels";

/** Horizontal bars, each labelled with its value: readable without colour, and the numbers
 * are in the text for screen readers. */
function Bars({ rows, testid }: { rows: { label: string; value: number }[]; testid: string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <Stack gap={6} data-testid={testid}>
      {rows.map((r) => (
        <div key={r.label}>
          <Group justify="space-between" gap="xs">
            <Text size="sm">{r.label}</Text>
            <Text size="sm" fw={600}>
              {r.value}
            </Text>
          </Group>
          <div aria-hidden style={{ height: 8, borderRadius: 4, background: "var(--mantine-color-gray-2)" }}>
            <div style={{ width: `${(100 * r.value) / max}%`, height: 8, borderRadius: 4, background: "var(--mantine-color-indigo-8)" }} />
          </div>
        </div>
      ))}
    </Stack>
  );
}

/** The report a coordinator shows their provost, drawn from the backend's figures; the same
 * as `credence report`, and as a PDF. */
export function ReportsPage() {
  const report = useQuery({ queryKey: keys.report, queryFn: api.report });
  const pdf = useMutation({ mutationFn: () => api.openDocument("report", 0) });
  const csv = useMutation({ mutationFn: api.exportReportCsv });
  const r = report.data;
  if (report.error) return <Alert color="red">{asAppError(report.error).message}</Alert>;
  if (!r) return null;
  const byKind = new Map<CaseKind, number>();
  for (const c of r.cases) byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + c.count);
  const byStatus = new Map<string, number>();
  for (const c of r.cases) byStatus.set(statusLabels[c.status], (byStatus.get(statusLabels[c.status]) ?? 0) + c.count);
  const byUnit = new Map<string, number>();
  for (const c of r.cases) byUnit.set(c.unit || "No unit", (byUnit.get(c.unit || "No unit") ?? 0) + c.count);
  const months = new Map<string, number>();
  for (const a of r.awards_per_month) months.set(a.month, (months.get(a.month) ?? 0) + a.awards);
  const entries = (m: Map<string, number>) => [...m.entries()].map(([label, value]) => ({ label, value }));
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <div>
          <Title order={2}>Reports</Title>
          <Text c="dimmed" size="sm">
            As of {r.on}: the committee's cases, how long review takes, and what was awarded.
          </Text>
        </div>
        <Group gap="xs">
          <Button variant="default" onClick={() => csv.mutate()} loading={csv.isPending} data-testid="report-csv">
            Save as CSV
          </Button>
          <Button variant="default" onClick={() => pdf.mutate()} loading={pdf.isPending} data-testid="report-pdf">
            Open as PDF
          </Button>
        </Group>
      </Group>
      {csv.data && (
        <Text size="sm" data-testid="report-csv-saved">
          Saved one CSV file per table in {csv.data}
        </Text>
      )}
      {(pdf.error ?? csv.error) && <Alert color="red">{asAppError(pdf.error ?? csv.error).message}</Alert>}
      <SimpleGrid cols={3}>
        {(
          [
            ["Cases by kind", "cases-by-kind", [...byKind.entries()].map(([k, value]) => ({ label: caseKindLabels[k], value }))],
            ["Cases by status", "cases-by-status", entries(byStatus)],
            ["Cases by unit", "cases-by-unit", entries(byUnit)],
          ] as const
        ).map(([title, testid, rows]) => (
          <Card withBorder key={testid}>
            <Title order={3} size="h5" mb="xs">
              {title}
            </Title>
            <Bars testid={testid} rows={rows} />
          </Card>
        ))}
      </SimpleGrid>
      <SimpleGrid cols={2}>
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">
            Time in each step
          </Title>
          <Text size="sm" mb="xs">
            {r.clock.decided} decided; median{" "}
            {r.clock.median_days_to_decision === null ? "—" : r.clock.median_days_to_decision.toFixed(1)} days from entering review to
            the decision.
          </Text>
          <Table data-testid="report-steps">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Step</Table.Th>
                <Table.Th>Completed</Table.Th>
                <Table.Th>Median days</Table.Th>
                <Table.Th>Open</Table.Th>
                <Table.Th>Overdue</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.clock.steps.map((s) => (
                <Table.Tr key={s.step}>
                  <Table.Td>{s.step}</Table.Td>
                  <Table.Td>{s.completed}</Table.Td>
                  <Table.Td>{s.median_days === null ? "—" : s.median_days.toFixed(1)}</Table.Td>
                  <Table.Td>{s.open}</Table.Td>
                  <Table.Td>{s.overdue}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">
            Awards per month
          </Title>
          <Bars testid="awards-per-month" rows={entries(months)} />
          <List size="sm" mt="sm">
            {r.awards_per_month.map((a) => (
              <List.Item key={`${a.microcredential}-${a.month}`}>
                {a.month}: {a.microcredential}, {a.awards}
              </List.Item>
            ))}
          </List>
        </Card>
      </SimpleGrid>
      <SimpleGrid cols={2}>
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">
            Revocations and their reasons
          </Title>
          {r.revocations.length === 0 ? (
            <Text size="sm">None.</Text>
          ) : (
            <List size="sm">
              {r.revocations.map((v) => (
                <List.Item key={`${v.microcredential}-${v.reason}`}>
                  {v.count} × {v.microcredential}: {v.reason || "no reason given"}
                </List.Item>
              ))}
            </List>
          )}
        </Card>
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">
            Periodic reviews due
          </Title>
          {r.reviews_due.length === 0 ? (
            <Text size="sm">None.</Text>
          ) : (
            <List size="sm" data-testid="report-reviews-due">
              {r.reviews_due.map((v) => (
                <List.Item key={v.slug}>
                  {v.title}: due since {v.next_review_due}
                </List.Item>
              ))}
            </List>
          )}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
