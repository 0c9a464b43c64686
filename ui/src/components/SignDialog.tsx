import { useEffect, useState, type ReactNode } from "react";
import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from "@mantine/core";
import { asAppError } from "../api";

/**
 * Asks for the passphrase of the acting person's signing key before a signed act (a vote,
 * a sign-off, a decision, a met condition). The backend opens the key and signs; a wrong
 * passphrase comes back as its error and nothing is recorded.
 */
export function SignDialog({
  opened,
  title,
  children,
  action,
  pending,
  error,
  onClose,
  onSign,
}: {
  opened: boolean;
  title: string;
  children?: ReactNode;
  action: string;
  pending: boolean;
  error: unknown;
  onClose: () => void;
  onSign: (passphrase: string) => void;
}) {
  const [passphrase, setPassphrase] = useState("");
  // The passphrase is forgotten as soon as the dialog closes.
  useEffect(() => {
    if (!opened) setPassphrase("");
  }, [opened]);
  const problem = error ? asAppError(error) : null;
  const passError = problem?.fields.find((f) => f.field === "passphrase")?.message;
  const other = problem && !passError ? (problem.fields.map((f) => f.message).join("; ") || problem.message) : null;
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSign(passphrase);
        }}
      >
        <Stack>
          {children}
          <PasswordInput label="Your passphrase" description="It opens your signing key; this act is signed with it." value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} error={passError} data-testid="passphrase" autoFocus />
          {other && (
            <Alert color="red" data-testid="sign-error">
              {other}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={pending} data-testid="sign-confirm">
              {action}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            Signed statements are kept in the audit log and checked by Verify.
          </Text>
        </Stack>
      </form>
    </Modal>
  );
}
