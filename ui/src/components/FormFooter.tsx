import { Alert, Button, Group } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { asAppError } from "../api";

/** A form's closing row: the backend's error when no field carries it, Cancel, and Save. */
export function FormFooter({
  error,
  onCancel,
  saving,
  label,
  testid,
}: {
  error: unknown;
  onCancel: () => void;
  saving: boolean;
  label: string;
  testid?: string;
}) {
  const general = error && asAppError(error).fields.length === 0 ? asAppError(error) : null;
  return (
    <>
      {general && <Alert color="red">{general.message}</Alert>}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={saving} data-testid={testid}>
          {label}
        </Button>
      </Group>
    </>
  );
}

/** A form's save: on success, refreshes the lists it changed, then closes the form. */
export function useFormSave<I, O>(
  mutationFn: (input: I) => Promise<O>,
  refresh: readonly (readonly unknown[])[],
  onDone: () => void,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      for (const queryKey of refresh) await client.invalidateQueries({ queryKey });
      onDone();
    },
  });
}
