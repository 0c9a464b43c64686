import { Alert } from "@mantine/core";
import { asAppError } from "../api";

/** A failed call's error: its per-field messages (with the field named, where `named`), or its
 * message. Nothing when there is no error. */
export function Problem({ error, named = true, testId }: { error: unknown; named?: boolean; testId: string }) {
  if (!error) return null;
  const e = asAppError(error);
  return (
    <Alert color="red" mt="xs" data-testid={testId}>
      {e.fields.length > 0 ? e.fields.map((f) => (named ? `${f.field}: ${f.message}` : f.message)).join("; ") : e.message}
    </Alert>
  );
}

/** A failed call's problems not already shown beside a field of the form (`shown`). */
export function ErrorsBesides({ error, shown }: { error: unknown; shown: string[] }) {
  if (!error) return null;
  const e = asAppError(error);
  const other = e.fields.filter((f) => !shown.includes(f.field));
  if (e.fields.length > 0 && other.length === 0) return null;
  return <Alert color="red">{other.length > 0 ? other.map((f) => f.message).join("; ") : e.message}</Alert>;
}
