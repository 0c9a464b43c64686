import { useState } from "react";
import { Alert, Button, Card, Center, Select, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, asAppError, keys } from "../api";
import { roleLabels } from "../labels";

/** Every change is recorded under a person: choose who is at this desktop (remembered). */
export function ChoosePerson() {
  const client = useQueryClient();
  const people = useQuery({ queryKey: keys.people, queryFn: api.listPeople });
  const [chosen, setChosen] = useState<string | null>(null);
  const choose = useMutation({
    mutationFn: api.setActingPerson,
    onSuccess: () => client.invalidateQueries({ queryKey: keys.session }),
  });
  return (
    <Center h="100vh">
      <Card withBorder padding="xl" w={460}>
        <Stack>
          <Title order={1} size="h2">
            Who is working?
          </Title>
          <Text size="sm" c="dimmed">
            Every change in Credence is recorded with the person who made it.
          </Text>
          <Select
            label="Person"
            searchable
            value={chosen}
            onChange={setChosen}
            data={(people.data ?? []).map((p) => ({
              value: String(p.id),
              label: `${p.name} (${p.roles.map((r) => roleLabels[r]).join(", ")})`,
            }))}
          />
          {choose.error && <Alert color="red">{asAppError(choose.error).message}</Alert>}
          <Button disabled={!chosen} onClick={() => chosen && choose.mutate(Number(chosen))}>
            Continue
          </Button>
        </Stack>
      </Card>
    </Center>
  );
}
