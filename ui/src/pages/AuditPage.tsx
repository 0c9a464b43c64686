import { useState } from "react";
import { Alert, Button, Code, FileButton, Group, List, Select, Stack, Text, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { api, asAppError } from "../api";
import { AuditTrail } from "../components/AuditTrail";
import { SignDialog } from "../components/SignDialog";
import { fileData } from "../files";
import { entityLabels } from "../labels";

/** Receipts of the log's head: signed by the acting person and kept outside the workspace,
 * they later prove that no newest entries were deleted (the chain alone cannot). */
function Receipts() {
  const [signing, setSigning] = useState(false);
  const save = useMutation({
    mutationFn: (passphrase: string) => api.saveAuditReceipt(passphrase),
    onSuccess: () => setSigning(false),
  });
  const check = useMutation({ mutationFn: async (file: File) => api.checkAuditReceipt(await fileData(file)) });
  const result = check.data;
  return (
    <Stack gap="xs">
      <Group>
        <Button variant="default" onClick={() => setSigning(true)} data-testid="save-receipt">
          Save a receipt…
        </Button>
        <FileButton onChange={(f) => f && check.mutate(f)} accept=".json,application/json" inputProps={{ "data-testid": "receipt-input" } as React.ComponentProps<"input">}>
          {(props) => (
            <Button variant="default" {...props} loading={check.isPending}>
              Check a receipt…
            </Button>
          )}
        </FileButton>
        {save.data && (
          <Text size="sm" data-testid="receipt-saved">
            Saved in {save.data}
          </Text>
        )}
      </Group>
      {result &&
        (result.problems.length === 0 ? (
          <Alert color="teal" title="The receipt holds" data-testid="receipt-verdict">
            The log still reaches entry {result.seq}, as {result.signed_by} saw it.
          </Alert>
        ) : (
          <Alert color="red" title={`The receipt signed by ${result.signed_by} does not hold`} data-testid="receipt-verdict">
            <List size="sm">
              {result.problems.map((p) => (
                <List.Item key={p}>{p}</List.Item>
              ))}
            </List>
          </Alert>
        ))}
      {check.error && <Alert color="red">{asAppError(check.error).fields.map((f) => f.message).join("; ") || asAppError(check.error).message}</Alert>}
      <SignDialog opened={signing} title="Sign a receipt of the audit log" action="Sign and save" pending={save.isPending} error={save.error} onClose={() => setSigning(false)} onSign={(p) => save.mutate(p)}>
        <Text size="sm">Your key signs the newest entry's number and hash. Keep the file outside the workspace: checked later, it proves no newer entries were deleted.</Text>
      </SignDialog>
    </Stack>
  );
}

/** Every recorded change, newest first, and a check of the whole hash chain. */
export function AuditPage() {
  const [entity, setEntity] = useState<string | null>(null);
  const verify = useMutation({ mutationFn: api.verifyAudit });
  const verdict = verify.data;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Audit log</Title>
          <Text c="dimmed" size="sm">
            Every change, who made it and when. Each entry is chained to the one before by its SHA-256 hash.
          </Text>
        </div>
        <Group align="flex-end">
          <Select
            label="Records"
            placeholder="All records"
            clearable
            value={entity}
            onChange={setEntity}
            data={Object.entries(entityLabels).map(([value, label]) => ({ value, label }))}
            w={180}
          />
          <Button variant="light" onClick={() => verify.mutate()} loading={verify.isPending} data-testid="verify-audit">
            Verify the chain
          </Button>
        </Group>
      </Group>
      {verdict &&
        (verdict.first_broken ? (
          <Alert color="red" title={`The chain is broken at entry ${verdict.first_broken.seq}`} data-testid="audit-verdict">
            {verdict.first_broken.reason}. Entries from there on cannot be trusted.
          </Alert>
        ) : (
          <Alert
            color={verdict.statement_problems.length > 0 ? "red" : "teal"}
            title={verdict.statement_problems.length > 0 ? `${verdict.statement_problems.length} of ${verdict.signatures} signed statements do not hold` : "The audit log holds"}
            data-testid="audit-verdict"
          >
            All {verdict.checked} entries verified
            {verdict.signatures > 0 && `, and ${verdict.signatures} signed statements`}.{" "}
            {verdict.entries_signed} entries are signed by the person who made them, each checked against the key they
            held then
            {verdict.unsigned_history > 0 &&
              `; ${verdict.unsigned_history} ${verdict.unsigned_history === 1 ? "entry was" : "entries were"} written before signing began (the signed entries after vouch for ${verdict.unsigned_history === 1 ? "it" : "them"})`}
            .
            {verdict.head && (
              <>
                {" "}
                Head: entry {verdict.head.seq}, hash <Code>{verdict.head.hash}</Code>
              </>
            )}
            {verdict.key_resets.length > 0 && (
              <>
                <Text size="sm" fw={600} mt="xs">
                  Signing keys reset by a coordinator
                </Text>
                <List size="sm" data-testid="key-resets">
                  {verdict.key_resets.map((r) => (
                    <List.Item key={r}>{r}</List.Item>
                  ))}
                </List>
              </>
            )}
            {verdict.statement_problems.length > 0 && (
              <List size="sm" mt="xs">
                {verdict.statement_problems.map((p) => (
                  <List.Item key={p}>{p}</List.Item>
                ))}
              </List>
            )}
          </Alert>
        ))}
      {verify.error && <Alert color="red">{asAppError(verify.error).message}</Alert>}
      <Receipts />
      <AuditTrail entity={entity} />
    </Stack>
  );
}
