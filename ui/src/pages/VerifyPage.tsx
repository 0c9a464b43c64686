import { useEffect, useState } from "react";
import { Alert, Badge, Card, FileButton, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { api, asAppError } from "../api";
import { fileData } from "../files";
import type { VerificationView } from "../bindings/VerificationView";

const outcomeColour: Record<string, string> = { pass: "teal.9", fail: "red.9", unchecked: "gray.7" };
const outcomeLabel: Record<string, string> = { pass: "Pass", fail: "Fail", unchecked: "Not checked" };

function Report({ report }: { report: VerificationView }) {
  return (
    <Card withBorder padding="md" data-testid="verification">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{report.file}</Text>
        <Badge
          size="lg"
          color={report.verified ? "teal.9" : report.expired_on ? "#9a3412" : "red.9"}
          data-testid="verification-verdict"
        >
          {report.verified ? "Verified" : report.expired_on ? `Expired ${report.expired_on}` : "Not verified"}
        </Badge>
      </Group>
      {report.expired_on && (
        <Text size="sm" mb="xs">
          An authentic credential that is no longer valid: its signature and issuer hold, and it expired on{" "}
          {report.expired_on}.
        </Text>
      )}
      {report.credential_id && (
        <Text size="xs" c="dimmed" ff="monospace" mb="xs">
          {report.credential_id}
        </Text>
      )}
      <Table layout="fixed">
        <Table.Tbody>
          {report.checks.map((c) => (
            <Table.Tr key={c.name}>
              <Table.Td w={110}>
                <Badge color={outcomeColour[c.outcome]}>
                  {outcomeLabel[c.outcome] ?? c.outcome}
                </Badge>
              </Table.Td>
              <Table.Td w={90}>{c.name}</Table.Td>
              <Table.Td style={{ overflowWrap: "anywhere" }}>{c.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

/** Verify a credential file (.json, a baked .png or .svg): dropped on the window or chosen. */
export function VerifyPage() {
  const [reports, setReports] = useState<VerificationView[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [hovering, setHovering] = useState(false);
  const add = (r: VerificationView) => setReports((old) => [r, ...old].slice(0, 20));
  const fail = (e: unknown) => setProblem(asAppError(e).fields.map((f) => f.message).join("; ") || asAppError(e).message);

  useEffect(() => {
    let unlisten: (() => void) | undefined;
    let gone = false;
    void getCurrentWebview()
      .onDragDropEvent((event) => {
        const p = event.payload;
        if (p.type === "enter" || p.type === "over") setHovering(true);
        else if (p.type === "leave") setHovering(false);
        else if (p.type === "drop") {
          setHovering(false);
          setProblem(null);
          for (const path of p.paths) api.verifyDroppedFile(path).then(add, fail);
        }
      })
      .then((u) => {
        if (gone) u();
        else unlisten = u;
      })
      .catch(() => undefined);
    return () => {
      gone = true;
      unlisten?.();
    };
  }, []);

  const choose = async (files: File[]) => {
    setProblem(null);
    for (const f of files) {
      try {
        add(await api.verifyCredentialFile(await fileData(f)));
      } catch (e) {
        fail(e);
      }
    }
  };

  return (
    <Stack>
      <Title order={2}>Verify a credential</Title>
      <Card
        withBorder
        padding="xl"
        style={{ borderStyle: "dashed", borderWidth: 2, textAlign: "center", background: hovering ? "var(--mantine-color-blue-light)" : undefined }}
        data-testid="drop-zone"
      >
        <Text>Drop a credential here: a .json file, a badge .png or .svg with the credential baked in, or a certificate .pdf with it attached.</Text>
        <Text size="sm" c="dimmed" mb="sm">
          Checked offline: the signature, that the key belongs to the issuer, the dates, the Open Badges schema, and revocation against this workspace's status lists.
        </Text>
        <Group justify="center">
          <FileButton onChange={(f) => void choose(f)} multiple accept=".json,.png,.svg,.pdf,application/json,image/png,image/svg+xml,application/pdf" inputProps={{ "data-testid": "verify-input" } as React.ComponentProps<"input">}>
            {(props) => (
              <Button {...props} variant="light" data-testid="choose-credential">
                Choose files…
              </Button>
            )}
          </FileButton>
        </Group>
      </Card>
      {problem && <Alert color="red">{problem}</Alert>}
      {reports.map((r, i) => (
        <Report key={`${r.file}-${reports.length - i}`} report={r} />
      ))}
    </Stack>
  );
}
