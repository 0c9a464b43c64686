import { Select, Stack, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, fieldError, keys } from "../api";
import type { InstitutionInput } from "../bindings/InstitutionInput";

/** The institution profile's fields; errors come from the backend, prefixed as it names them. */
export function InstitutionFields({
  value,
  onChange,
  error,
  prefix = "",
}: {
  value: InstitutionInput;
  onChange: (v: InstitutionInput) => void;
  error: unknown;
  prefix?: string;
}) {
  const countries = useQuery({ queryKey: keys.countries, queryFn: api.countries, staleTime: Infinity });
  const err = (f: string) => fieldError(error, prefix + f);
  return (
    <Stack gap="sm">
      <TextInput
        label="Institution name"
        required
        value={value.name}
        onChange={(e) => onChange({ ...value, name: e.currentTarget.value })}
        error={err("name")}
        data-testid="institution-name"
      />
      <Select
        label="Country"
        required
        searchable
        value={value.country || null}
        onChange={(v) => onChange({ ...value, country: v ?? "" })}
        data={(countries.data ?? []).map((c) => ({ value: c.code, label: `${c.name} (${c.code})` }))}
        error={err("country")}
        nothingFoundMessage="No such country"
        data-testid="institution-country"
      />
      <TextInput
        label="Website"
        placeholder="https://www.example.edu"
        value={value.url ?? ""}
        onChange={(e) => onChange({ ...value, url: e.currentTarget.value })}
        error={err("url")}
      />
      <TextInput
        label="Contact email"
        placeholder="microcredentials@example.edu"
        value={value.email ?? ""}
        onChange={(e) => onChange({ ...value, email: e.currentTarget.value })}
        error={err("email")}
      />
    </Stack>
  );
}
