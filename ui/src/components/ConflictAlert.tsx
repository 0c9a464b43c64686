import { Alert, Button, Stack, Text } from "@mantine/core";

/** A save refused because another seat changed the record first: the backend's message (who
 * changed it, and when) and a button that reloads their version. */
export function ConflictAlert({
  message,
  reload,
  onReload,
  testid,
}: {
  message: string;
  reload: string;
  onReload: () => void;
  testid?: string;
}) {
  return (
    <Alert color="orange" title="Changed elsewhere first" data-testid="save-conflict">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{message}</Text>
        <Button size="xs" variant="default" onClick={onReload} data-testid={testid}>
          {reload}
        </Button>
      </Stack>
    </Alert>
  );
}
