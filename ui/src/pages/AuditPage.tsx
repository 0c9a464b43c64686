import { useState } from "react";
import { Alert, Button, Group, Select, Stack, Text, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { api, asAppError } from "../api";
import { AuditTrail } from "../components/AuditTrail";
import { entityLabels } from "../labels";

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
          <Alert color="teal" title="The audit log holds" data-testid="audit-verdict">
            All {verdict.checked} entries verified.
          </Alert>
        ))}
      {verify.error && <Alert color="red">{asAppError(verify.error).message}</Alert>}
      <AuditTrail entity={entity} />
    </Stack>
  );
}
