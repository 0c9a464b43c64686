import { Alert, Center, Loader } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, asAppError, keys } from "./api";
import { Welcome } from "./pages/Welcome";
import { ChoosePerson } from "./pages/ChoosePerson";
import { SignIn } from "./pages/SignIn";
import { useActivity } from "./activity";
import { Shell } from "./Shell";

/** Decides the top-level screen from what the backend says about the open workspace. */
export function App() {
  // Looked at again every half minute, so a session the idle time locked shows the sign-in
  // screen without anyone touching the window.
  const session = useQuery({ queryKey: keys.session, queryFn: api.session, refetchInterval: 30_000 });
  useActivity(Boolean(session.data?.workspace?.acting && session.data.workspace.sign_in_required));
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
  if (!workspace.acting) {
    return (
      <>
        {view.notice && (
          <Alert color="blue" m="md" mb={0} data-testid="session-notice">
            {view.notice}
          </Alert>
        )}
        {workspace.sign_in_required ? <SignIn status={workspace} /> : <ChoosePerson />}
      </>
    );
  }
  return <Shell status={workspace} />;
}
