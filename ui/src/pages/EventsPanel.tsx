// Issuance events: exporting a package and merging its return (the institution's
// workspace), and the event workspace's own banner with "Finish the event". The backend
// checks and decides everything; these screens carry the requests.
import { useRef, useState } from "react";
import type React from "react";
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  FileButton,
  Group,
  List,
  Modal,
  MultiSelect,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, asAppError, fieldError, keys } from "../api";
import { fileData } from "../files";
import { Problem as SharedProblem } from "../components/Problem";
import type { EventView } from "../bindings/EventView";
import type { EventExported } from "../bindings/EventExported";
import type { MergeReport } from "../bindings/MergeReport";

function Problem({ error }: { error: unknown }) {
  return <SharedProblem error={error} named={false} testId="event-error" />;
}

function when(at: string | null | undefined): string {
  return at ? at.slice(0, 10) : "";
}

function state(e: EventView): { label: string; color: string } {
  if (e.merged_at) return { label: `Merged ${when(e.merged_at)}`, color: "teal.9" };
  if (e.finished_at) return { label: `Finished ${when(e.finished_at)}`, color: "indigo.8" };
  return { label: "Out at the event", color: "orange.9" };
}

function MergeSummary({ report }: { report: MergeReport }) {
  return (
    <Stack gap="xs" data-testid="merge-report">
      <Text>
        {report.awards} award{report.awards === 1 ? "" : "s"} brought in ({report.revoked_at_event} revoked at the event),{" "}
        {report.entries} audit entries kept. The event key is retired; it still verifies what it signed.
      </Text>
      {report.both_places.length > 0 && (
        <>
          <Text fw={600}>Awarded in both places</Text>
          <List size="sm">
            {report.both_places.map((b) => (
              <List.Item key={b.event_credential_id + b.workspace_credential_id}>
                {b.learner_name} &lt;{b.learner_email}&gt;, {b.microcredential}: at the event {b.event_completed_on}, here{" "}
                {b.workspace_completed_on}
                {b.revoked_as_duplicate ? " (the same date: the event's credential was revoked as superseded)" : ""}
              </List.Item>
            ))}
          </List>
        </>
      )}
    </Stack>
  );
}

function ExportDialog({ opened, onClose, onDone }: { opened: boolean; onClose: () => void; onDone: (e: EventExported) => void }) {
  const list = useQuery({ queryKey: keys.microcredentials, queryFn: api.microcredentials, enabled: opened });
  const [chosen, setChosen] = useState<string[]>([]);
  const [name, setName] = useState("");
  const [issuer, setIssuer] = useState("");
  const [event, setEvent] = useState("");
  const [repeat, setRepeat] = useState("");
  const mismatch = repeat !== "" && repeat !== event;
  const run = useMutation({
    mutationFn: () => api.exportEvent(chosen, name, issuer, event),
    onSuccess: (done) => {
      if (!done) return;
      setIssuer("");
      setEvent("");
      setRepeat("");
      onDone(done);
    },
  });
  const err = run.error ? asAppError(run.error) : null;
  return (
    <Modal opened={opened} onClose={onClose} title="Export an event package" size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate();
        }}
      >
        <Stack>
          <Text size="sm">
            For awarding away from this computer, offline: the microcredentials at their current versions, what their
            credentials and certificates need, a key made for this event and status entries reserved for it. The
            institution's own issuer key never leaves this workspace.
          </Text>
          <MultiSelect
            label="Microcredentials"
            data={(list.data ?? []).map((m) => ({ value: m.slug, label: m.title }))}
            value={chosen}
            onChange={setChosen}
            searchable
            required
            error={err ? fieldError(err, "credential") : undefined}
            data-testid="event-microcredentials"
          />
          <TextInput
            label="Event name"
            placeholder="Issuance event and today's date"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={err ? fieldError(err, "name") : undefined}
          />
          <PasswordInput
            label="Issuer key passphrase"
            description="Proves you may add a key of the institution"
            value={issuer}
            onChange={(e) => setIssuer(e.currentTarget.value)}
            error={err ? fieldError(err, "issuer_passphrase") : undefined}
            required
          />
          <PasswordInput
            label="Event passphrase"
            description="Given to the staff running the event: it opens the event key and signs their work there"
            value={event}
            onChange={(e) => setEvent(e.currentTarget.value)}
            error={err ? fieldError(err, "event_passphrase") : undefined}
            required
          />
          <PasswordInput
            label="Event passphrase again"
            value={repeat}
            onChange={(e) => setRepeat(e.currentTarget.value)}
            error={mismatch ? "The two passphrases differ" : undefined}
            required
          />
          {err && err.fields.length === 0 && <Problem error={run.error} />}
          <Group justify="flex-end">
            <Button type="submit" loading={run.isPending} disabled={mismatch || chosen.length === 0} data-testid="event-export-save">
              Save the package…
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The institution's workspace: the events it sent out, exporting one, merging a return. */
export function EventsPanel({ mayManage }: { mayManage: boolean }) {
  const client = useQueryClient();
  const events = useQuery({ queryKey: keys.events, queryFn: api.events });
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<EventExported | null>(null);
  const [report, setReport] = useState<MergeReport | null>(null);
  // Cleared after each pick, so the same file picked again (a second try) is read again.
  const mergeReset = useRef<() => void>(null);
  const merge = useMutation({
    mutationFn: async (file: File) => api.mergeEvent(await fileData(file)),
    onSettled: () => mergeReset.current?.(),
    onSuccess: (r) => {
      setReport(r);
      void client.invalidateQueries({ queryKey: keys.events });
      void client.invalidateQueries({ queryKey: keys.issuer });
      void client.invalidateQueries({ queryKey: ["awards"] });
    },
  });
  const open = useMutation({
    mutationFn: api.openEventPackage,
    onSuccess: (view) => {
      if (view) client.setQueryData(keys.session, view);
    },
  });
  const rows = events.data ?? [];
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="events-title">
      <Group justify="space-between" mb="xs">
        <Text fw={600} id="events-title">
          Issuance events
        </Text>
        <Group gap="xs">
          {mayManage && (
            <Button size="xs" variant="light" onClick={() => setExporting(true)} data-testid="event-export">
              Export an event package…
            </Button>
          )}
          {mayManage && (
            <FileButton
              onChange={(f) => f && merge.mutate(f)}
              resetRef={mergeReset}
              accept=".zip,application/zip"
              inputProps={{ "data-testid": "event-merge-input" } as React.ComponentProps<"input">}
            >
              {(props) => (
                <Button size="xs" variant="light" loading={merge.isPending} data-testid="event-merge" {...props}>
                  Merge a return package…
                </Button>
              )}
            </FileButton>
          )}
          <Button size="xs" variant="subtle" onClick={() => open.mutate()} loading={open.isPending}>
            Open an event package on this computer…
          </Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed" mb="xs">
        Award at a graduation, a conference or a campus with no network, on a laptop that is not this one: export a
        package, open it there, finish it, and merge what it returns here.
      </Text>
      <Problem error={merge.error ?? open.error ?? events.error} />
      {exported && (
        <Alert color="teal" mt="xs" withCloseButton onClose={() => setExported(null)} data-testid="event-exported">
          Saved the package for "{exported.event.name}" as <Code>{exported.file}</Code>. Give the event passphrase to
          the event's staff separately.
        </Alert>
      )}
      {rows.length > 0 && (
        <Table mt="sm" data-testid="events-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Event</Table.Th>
              <Table.Th>Microcredentials</Table.Th>
              <Table.Th>Exported</Table.Th>
              <Table.Th>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((e) => {
              const s = state(e);
              return (
                <Table.Tr key={e.id}>
                  <Table.Td>{e.name}</Table.Td>
                  <Table.Td>{e.microcredentials.map((m) => `${m.title} (v${m.version})`).join(", ")}</Table.Td>
                  <Table.Td>
                    {when(e.exported_at)}
                    {e.exported_by ? `, ${e.exported_by}` : ""}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={s.color}>{s.label}</Badge>
                    {e.merge && (
                      <Text size="xs" c="dimmed">
                        {e.merge.awards} awards, {e.merge.both_places.length} in both places
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <ExportDialog
        opened={exporting}
        onClose={() => setExporting(false)}
        onDone={(e) => {
          setExporting(false);
          setExported(e);
          void client.invalidateQueries({ queryKey: keys.events });
        }}
      />
      <Modal opened={report !== null} onClose={() => setReport(null)} title={report ? `Merged "${report.event_name}"` : ""}>
        {report && <MergeSummary report={report} />}
      </Modal>
    </Card>
  );
}

/** An event workspace's banner: what it is for, and finishing it into a return package. */
export function EventBanner({ event }: { event: EventView }) {
  const client = useQueryClient();
  const [finishing, setFinishing] = useState(false);
  const [passphrase, setPassphrase] = useState("");
  const [saved, setSaved] = useState<string | null>(null);
  const finish = useMutation({
    mutationFn: () => api.finishEvent(passphrase),
    onSuccess: (done) => {
      if (!done) return;
      setPassphrase("");
      setFinishing(false);
      setSaved(
        `Saved the return package (${done.awards} award${done.awards === 1 ? "" : "s"}, ${done.revoked} revoked) as ${done.file}. Take it to the coordinator to merge.`,
      );
      void client.invalidateQueries({ queryKey: keys.heldEvent });
    },
  });
  const err = finish.error ? asAppError(finish.error) : null;
  const finished = event.finished_at !== null;
  return (
    <Alert
      color={finished ? "gray" : "orange"}
      styles={{ title: { color: "var(--mantine-color-text)" } }}
      mb="md"
      title={`Event workspace: ${event.name}`}
      data-testid="event-banner"
    >
      <Stack gap="xs">
        <Text size="sm">
          {finished
            ? `Finished on ${when(event.finished_at)}: it issues nothing more. Its return package holds what it issued.`
            : `This workspace issues ${event.microcredentials.map((m) => m.title).join(", ")} for the event and revokes its own awards; nothing else changes here. ${event.reserved} status entries are reserved for it.`}
        </Text>
        {saved && <Text size="sm">{saved}</Text>}
        <Group>
          <Button size="xs" variant="default" onClick={() => setFinishing(true)} data-testid="event-finish">
            {finished ? "Save the return package again…" : "Finish the event…"}
          </Button>
        </Group>
      </Stack>
      <Modal opened={finishing} onClose={() => setFinishing(false)} title="Finish the event">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            finish.mutate();
          }}
        >
          <Stack>
            <Text size="sm">
              Finishing closes this workspace to issuing and saves the return package, signed with the event key, for
              the coordinator to merge.
            </Text>
            <PasswordInput
              label="Event passphrase"
              value={passphrase}
              onChange={(e) => setPassphrase(e.currentTarget.value)}
              error={err ? fieldError(err, "passphrase") : undefined}
              required
            />
            {err && err.fields.length === 0 && <Problem error={finish.error} />}
            <Group justify="flex-end">
              <Button type="submit" loading={finish.isPending}>
                Save the return package…
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Alert>
  );
}
