import { ConflictAlert } from "../components/ConflictAlert";
import { useEffect, useRef, useState } from "react";
import { Alert, Button, Card, FileButton, Group, Image, Loader, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, asAppError, fieldError, keys } from "../api";
import type { Institution } from "../bindings/Institution";
import type { InstitutionInput } from "../bindings/InstitutionInput";
import { InstitutionFields } from "../components/InstitutionFields";
import { AuditTrail } from "../components/AuditTrail";
import { readAsBase64 } from "../files";

/** The institution profile, which becomes the issuer of every badge. */
export function InstitutionPage() {
  const client = useQueryClient();
  const session = useQuery({ queryKey: keys.session, queryFn: api.session });
  const logo = useQuery({ queryKey: keys.logo, queryFn: api.institutionLogo });
  const institution = session.data?.workspace?.institution;
  const [form, setForm] = useState<InstitutionInput | null>(null);
  // The profile as the form read it: a save over a change another seat made since is refused.
  const seen = useRef<Institution | null>(null);
  useEffect(() => {
    if (institution && !form) {
      seen.current = institution;
      setForm({ name: institution.name, country: institution.country, url: institution.url, email: institution.email });
    }
  }, [institution, form]);
  const refresh = () => client.invalidateQueries();
  const saved = (i: Institution) => {
    seen.current = i;
    return refresh();
  };
  const save = useMutation({
    mutationFn: (input: InstitutionInput) => api.updateInstitution(input, seen.current),
    onSuccess: saved,
  });
  const upload = useMutation({
    mutationFn: async (file: File) => api.setLogo(await readAsBase64(file)),
    onSuccess: saved,
  });
  const remove = useMutation({ mutationFn: api.removeLogo, onSuccess: saved });
  const conflict = save.error ? asAppError(save.error).kind === "conflict" : false;
  if (!institution || !form) return null;
  const logoError = fieldError(upload.error, "logo") ?? (upload.error ? asAppError(upload.error).message : undefined);
  return (
    <Stack gap="lg" maw={900}>
      <Title order={2}>Institution</Title>
      <Text c="dimmed" size="sm">
        The awarding body named on every badge and certificate.
      </Text>
      <Group align="flex-start" gap="xl" wrap="nowrap">
        <Card withBorder padding="lg" style={{ flex: 1 }}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate(form);
            }}
          >
            <Stack>
              <InstitutionFields value={form} onChange={setForm} error={save.error} />
              {save.isSuccess && !save.isPending && <Text c="teal.7" size="sm">Saved.</Text>}
              {conflict ? (
                <ConflictAlert
                  message={asAppError(save.error).message}
                  reload="Reload the profile"
                  testid="reload-profile"
                  onReload={async () => {
                    await client.refetchQueries({ queryKey: keys.session });
                    save.reset();
                    setForm(null);
                  }}
                />
              ) : (
                save.error &&
                asAppError(save.error).fields.length === 0 && <Alert color="red">{asAppError(save.error).message}</Alert>
              )}
              <Group>
                <Button type="submit" loading={save.isPending}>
                  Save profile
                </Button>
              </Group>
            </Stack>
          </form>
        </Card>
        <Card withBorder padding="lg" w={260}>
          <Stack align="center">
            <Text fw={500}>Logo</Text>
            {logo.isPending ? (
              <Loader size="sm" aria-label="Loading the logo" />
            ) : logo.data ? (
              <Image src={logo.data} alt={`Logo of ${institution.name}`} w={160} h={160} fit="contain" />
            ) : (
              <Text c="dimmed" size="sm">
                No logo yet
              </Text>
            )}
            {institution.logo && (
              <Text size="xs" c="dimmed">
                {institution.logo.mime}, {institution.logo.width}×{institution.logo.height},{" "}
                {Math.ceil(institution.logo.bytes / 1024)} KB
              </Text>
            )}
            <FileButton onChange={(f) => f && upload.mutate(f)} accept="image/png,image/jpeg">
              {(props) => (
                <Button {...props} variant="light" loading={upload.isPending}>
                  {institution.logo ? "Replace logo" : "Upload logo"}
                </Button>
              )}
            </FileButton>
            {institution.logo && (
              <Button variant="subtle" color="red" size="xs" onClick={() => remove.mutate()}>
                Remove logo
              </Button>
            )}
            {logoError && (
              <Text c="red" size="sm" role="alert">
                {logoError}
              </Text>
            )}
            <Text size="xs" c="dimmed" ta="center">
              PNG or JPEG, at most 1 MB and 4096 pixels a side.
            </Text>
          </Stack>
        </Card>
      </Group>
      <Title order={3}>History</Title>
      <AuditTrail entity="institution" entityId="1" />
    </Stack>
  );
}
