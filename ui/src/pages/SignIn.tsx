import { useState } from "react";
import {
  Alert,
  Button,
  Card,
  Center,
  PasswordInput,
  Select,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, asAppError, fieldError, keys } from "../api";
import { roleLabels } from "../labels";
import type { WorkspaceStatus } from "../bindings/WorkspaceStatus";

/** Who is at this desktop: their passphrase unlocks their signing key for the session, and
 * every change they make is signed with it. A person new to the workspace sets their
 * passphrase with the one-time enrolment code a coordinator handed them. */
export function SignIn({ status }: { status: WorkspaceStatus }) {
  const client = useQueryClient();
  const options = useQuery({ queryKey: keys.signInOptions, queryFn: api.signInOptions });
  const [tab, setTab] = useState<string | null>("sign-in");
  const [person, setPerson] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState("");
  const [code, setCode] = useState("");
  const [repeat, setRepeat] = useState("");
  const done = () => client.invalidateQueries({ queryKey: keys.session });
  const signIn = useMutation({
    mutationFn: () => api.signIn(Number(person), passphrase),
    onSuccess: done,
  });
  const enrol = useMutation({
    mutationFn: () => api.enrol(Number(person), code, passphrase),
    onSuccess: done,
  });
  const people = (options.data ?? []).filter((o) => (tab === "sign-in" ? o.has_key : !o.has_key));
  const data = people.map((o) => ({
    value: String(o.person.id),
    label: `${o.person.name} (${o.person.roles.map((r) => roleLabels[r]).join(", ")})`,
  }));
  const mismatch = tab === "enrol" && repeat !== "" && repeat !== passphrase;
  const switchTab = (next: string | null) => {
    setTab(next);
    setPerson(null);
    setPassphrase("");
    setRepeat("");
    signIn.reset();
    enrol.reset();
  };
  return (
    <Center mih="100vh" py="xl">
      <Card withBorder padding="xl" w={480} component="main">
        <Stack>
          <div>
            <Title order={1} size="h2">
              Sign in
            </Title>
            <Text size="sm" c="dimmed">
              {status.institution?.name}: every change you make is signed with your own key, which your passphrase
              unlocks on this computer until you sign out or leave it idle.
            </Text>
          </div>
          <Tabs value={tab} onChange={switchTab}>
            <Tabs.List grow>
              <Tabs.Tab value="sign-in">Sign in</Tabs.Tab>
              <Tabs.Tab value="enrol">I have an enrolment code</Tabs.Tab>
            </Tabs.List>
          </Tabs>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (!person) return;
              if (tab === "sign-in") signIn.mutate();
              else if (!mismatch) enrol.mutate();
            }}
          >
            <Stack gap="sm">
              <Select
                label="Who are you?"
                searchable
                value={person}
                onChange={setPerson}
                data={data}
                nothingFoundMessage="Nobody by that name"
                data-testid="sign-in-person"
              />
              {tab === "enrol" && (
                <TextInput
                  label="Enrolment code"
                  description="The code a coordinator gave you, like K7QD-3MXA-9TPB"
                  value={code}
                  onChange={(e) => setCode(e.currentTarget.value)}
                  error={fieldError(enrol.error, "code")}
                  data-testid="enrolment-code"
                />
              )}
              <PasswordInput
                label={tab === "enrol" ? "Choose a passphrase" : "Passphrase"}
                description={tab === "enrol" ? "At least 8 characters; a few words are easier to remember" : undefined}
                value={passphrase}
                onChange={(e) => setPassphrase(e.currentTarget.value)}
                error={fieldError(tab === "enrol" ? enrol.error : signIn.error, "passphrase")}
                data-testid="sign-in-passphrase"
              />
              {tab === "enrol" && (
                <PasswordInput
                  label="The passphrase again"
                  value={repeat}
                  onChange={(e) => setRepeat(e.currentTarget.value)}
                  error={mismatch ? "the two passphrases differ" : undefined}
                  data-testid="sign-in-repeat"
                />
              )}
              {[signIn, enrol].map(
                (m, i) =>
                  m.error &&
                  asAppError(m.error).fields.length === 0 && (
                    <Alert key={i} color="red">
                      {asAppError(m.error).message}
                    </Alert>
                  ),
              )}
              <Button
                type="submit"
                disabled={!person || passphrase === "" || mismatch}
                loading={signIn.isPending || enrol.isPending}
                data-testid="sign-in-submit"
              >
                {tab === "sign-in" ? "Sign in" : "Set my passphrase and sign in"}
              </Button>
            </Stack>
          </form>
        </Stack>
      </Card>
    </Center>
  );
}
