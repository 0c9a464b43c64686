import { Alert, Center, Loader } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, asAppError, keys } from "./api";
import { Welcome } from "./pages/Welcome";
import { ChoosePerson } from "./pages/ChoosePerson";
import { Shell } from "./Shell";

/** Decides the top-level screen from what the backend says about the open workspace. */
export function App() {
  const session = useQuery({ queryKey: keys.session, queryFn: api.session });
  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Alert color="red" title="Credence cannot start" m="xl">
        {asAppError(session.error).message}
      </Alert>
    );
  }
  const view = session.data;
  const workspace = view.workspace;
  if (!workspace?.institution) return <Welcome view={view} />;
  if (!workspace.acting) return <ChoosePerson />;
  return <Shell status={workspace} />;
}
