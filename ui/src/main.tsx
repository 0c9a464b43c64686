import "@mantine/core/styles.css";
import "./index.css";
import React from "react";
import ReactDOM from "react-dom/client";
import { MantineProvider, Modal, createTheme } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { HashRouter } from "react-router";
import { listen } from "@tauri-apps/api/event";
import { App } from "./App";

const theme = createTheme({
  primaryColor: "indigo",
  // Shade 8 keeps white text on filled buttons above WCAG AA contrast.
  primaryShade: { light: 8, dark: 8 },
  fontFamily: "Inter, 'Noto Sans', 'DejaVu Sans', system-ui, sans-serif",
  defaultRadius: "sm",
  components: {
    // A screen reader names the close button of every dialog.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { "aria-label": "Close" } } }),
  },
});

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 } },
});

// The backend announces every change; each open view refreshes itself from it.
void listen<string>("credence://changed", (event) => {
  const entity = event.payload;
  if (entity === "session") {
    void queryClient.invalidateQueries();
  } else {
    // The kinds of record the audit log names, and the views that show them.
    const key =
      (
        {
          person: "people",
          person_key: "people",
          unit: "units",
          proposal: "proposals",
          microcredential: "microcredentials",
          award: "awards",
          issue_batch: "batches",
          issuer_key: "issuer",
          setting: "issuer",
          certificate_template: "certificates",
          signature_image: "certificates",
          committee_member: "committee",
          taxonomy_term: "taxonomy",
          policy_set: "policy",
          pathway: "pathways",
          route: "routes",
        } as Record<string, string>
      )[entity] ?? entity;
    void queryClient.invalidateQueries({ queryKey: [key] });
    void queryClient.invalidateQueries({ queryKey: ["session"] });
    void queryClient.invalidateQueries({ queryKey: ["audit"] });
    void queryClient.invalidateQueries({ queryKey: ["logo"] });
    // Review state follows from proposals, meetings and people alike; a decided case changes
    // its microcredential.
    for (const key of ["inbox", "review", "meetings", "committee", "proposals", "microcredentials", "report"]) void queryClient.invalidateQueries({ queryKey: [key] });
  }
});

const root = document.getElementById("root");
if (root) {
  ReactDOM.createRoot(root).render(
    <React.StrictMode>
      <MantineProvider theme={theme} defaultColorScheme="auto">
        <QueryClientProvider client={queryClient}>
          <HashRouter>
            <App />
          </HashRouter>
        </QueryClientProvider>
      </MantineProvider>
    </React.StrictMode>,
  );
}
