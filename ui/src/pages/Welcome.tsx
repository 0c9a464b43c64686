import { useState } from "react";
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Code,
  Container,
  Divider,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, asAppError, fieldError, keys } from "../api";
import type { SessionView } from "../bindings/SessionView";
import type { SetupInput } from "../bindings/SetupInput";
import { InstitutionFields } from "../components/InstitutionFields";

/** First launch, or a file that could not be opened: create a workspace or open the demo. */
export function Welcome({ view }: { view: SessionView }) {
  const client = useQueryClient();
  const [input, setInput] = useState<SetupInput>({
    institution: { name: "", country: "", url: null, email: null },
    coordinator_name: "",
    coordinator_email: "",
  });
  const onSession = (next: SessionView) => client.setQueryData(keys.session, next);
  const [passphrase, setPassphrase] = useState("");
  const [repeat, setRepeat] = useState("");
  const mismatch = repeat !== "" && repeat !== passphrase;
  const setup = useMutation({ mutationFn: api.setupWorkspace, onSuccess: onSession });
  const demo = useMutation({ mutationFn: api.openDemo, onSuccess: onSession });
  const event = useMutation({
    mutationFn: api.openEventPackage,
    onSuccess: (next) => {
      if (next) onSession(next);
    },
  });
  const [server, setServer] = useState({
    url: view.path.startsWith("postgres") ? view.path : "",
    password: "",
    remember: true,
  });
  const connect = useMutation({ mutationFn: api.connectWorkspace, onSuccess: onSession });
  const generalError = setup.error && asAppError(setup.error).fields.length === 0 ? asAppError(setup.error) : null;

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <div>
          <Title order={1}>Welcome to Credence</Title>
          <Text c="dimmed">
            Microcredential proposals, committee review and badge awarding, kept in one workspace: a file on this
            computer, or a database on a server the whole committee shares.
          </Text>
        </div>
        {view.notice && (
          <Alert color="blue" data-testid="session-notice">
            {view.notice}
          </Alert>
        )}
        {view.problem && (
          <Alert color="red" title="This workspace cannot be opened" data-testid="workspace-problem">
            {view.problem.message}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <Card withBorder padding="lg" component="section" aria-labelledby="create-title">
            <Title order={2} size="h3" id="create-title">
              Create a workspace
            </Title>
            <Text size="sm" c="dimmed" mb="md">
              Saved as <Code>{view.path}</Code>
            </Text>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (!mismatch) setup.mutate({ input, passphrase });
              }}
            >
              <Stack gap="sm">
                <InstitutionFields
                  value={input.institution}
                  onChange={(institution) => setInput({ ...input, institution })}
                  error={setup.error}
                  prefix="institution."
                />
                <Divider label="You, the coordinator" labelPosition="left" />
                <TextInput
                  label="Your name"
                  required
                  value={input.coordinator_name}
                  onChange={(e) => setInput({ ...input, coordinator_name: e.currentTarget.value })}
                  error={fieldError(setup.error, "coordinator_name")}
                />
                <TextInput
                  label="Your email"
                  required
                  value={input.coordinator_email}
                  onChange={(e) => setInput({ ...input, coordinator_email: e.currentTarget.value })}
                  error={fieldError(setup.error, "coordinator_email")}
                />
                <PasswordInput
                  label="Your passphrase"
                  description="It unlocks your signing key: every change you make is signed with it. At least 8 characters."
                  required
                  value={passphrase}
                  onChange={(e) => setPassphrase(e.currentTarget.value)}
                  error={fieldError(setup.error, "passphrase")}
                />
                <PasswordInput
                  label="The passphrase again"
                  required
                  value={repeat}
                  onChange={(e) => setRepeat(e.currentTarget.value)}
                  error={mismatch ? "the two passphrases differ" : undefined}
                />
                {generalError && <Alert color="red">{generalError.message}</Alert>}
                <Button type="submit" loading={setup.isPending}>
                  Create the workspace
                </Button>
              </Stack>
            </form>
          </Card>
          <Card withBorder padding="lg" component="section" aria-labelledby="demo-title">
            <Title order={2} size="h3" id="demo-title">
              Open the demo workspace
            </Title>
            <Text size="sm" my="md">
              Northfield University, a fictional institution with a dozen colleges, departments and offices and two
              dozen people in every role. Try anything: it lives in its own file,
            </Text>
            <Code block mb="md">
              {view.demo_path}
            </Code>
            <Button variant="light" onClick={() => demo.mutate()} loading={demo.isPending} data-testid="open-demo">
              Open the demo workspace
            </Button>
            {demo.error && (
              <Alert color="red" mt="md">
                {asAppError(demo.error).message}
              </Alert>
            )}
          </Card>
          <Card withBorder padding="lg" component="section" aria-labelledby="connect-title">
            <Title order={2} size="h3" id="connect-title">
              Connect to a shared workspace
            </Title>
            <Text size="sm" my="md">
              A committee on many desks shares one workspace in a PostgreSQL database. Your coordinator gives you its
              address; every change you make there is still signed with your own key.
            </Text>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                connect.mutate(server);
              }}
            >
              <Stack gap="sm">
                <TextInput
                  label="Address"
                  placeholder="postgres://you@db.example.edu/credence"
                  required
                  value={server.url}
                  onChange={(e) => setServer({ ...server, url: e.currentTarget.value })}
                  error={fieldError(connect.error, "url")}
                  data-testid="connect-url"
                />
                <PasswordInput
                  label="Database password"
                  description="Leave empty if the server does not ask for one."
                  value={server.password}
                  onChange={(e) => setServer({ ...server, password: e.currentTarget.value })}
                  data-testid="connect-password"
                />
                <Checkbox
                  label="Keep the password in this computer's keyring"
                  checked={server.remember}
                  onChange={(e) => setServer({ ...server, remember: e.currentTarget.checked })}
                  data-testid="connect-remember"
                />
                {connect.error && asAppError(connect.error).fields.length === 0 && (
                  <Alert color="red" data-testid="connect-problem">
                    {asAppError(connect.error).message}
                  </Alert>
                )}
                <Button type="submit" variant="light" loading={connect.isPending} data-testid="connect">
                  Connect
                </Button>
              </Stack>
            </form>
          </Card>
          <Card withBorder padding="lg" component="section" aria-labelledby="event-title">
            <Title order={2} size="h3" id="event-title">
              Run an issuance event
            </Title>
            <Text size="sm" my="md">
              On the laptop of an event (a graduation, a conference, a campus with no network): open the event package
              the coordinator exported. Credence makes an event workspace from it that issues the event's
              microcredentials offline; when the event is over, finish it and take the return package back.
            </Text>
            <Button variant="light" onClick={() => event.mutate()} loading={event.isPending} data-testid="open-event">
              Open an event package…
            </Button>
            {event.error && (
              <Alert color="red" mt="md">
                {asAppError(event.error).message}
              </Alert>
            )}
          </Card>
        </SimpleGrid>
      </Stack>
    </Container>
  );
}
