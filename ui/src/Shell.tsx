import {
  AppShell,
  Avatar,
  Badge,
  Group,
  Menu,
  NavLink,
  SegmentedControl,
  Text,
  Title,
  UnstyledButton,
  useMantineColorScheme,
  type MantineColorScheme,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  IconArrowsSplit,
  IconChartBar,
  IconCalendar,
  IconAward,
  IconSchool,
  IconCertificate,
  IconShieldCheck,
  IconCalendarEvent,
  IconInbox,
  IconUsersGroup,
  IconBuildingBank,
  IconFileDescription,
  IconHierarchy2,
  IconListCheck,
  IconRoute,
  IconScale,
  IconTags,
  IconUsers,
} from "@tabler/icons-react";
import { Navigate, Route, Routes, useLocation, useNavigate } from "react-router";
import { api, keys } from "./api";
import type { WorkspaceStatus } from "./bindings/WorkspaceStatus";
import { roleLabels } from "./labels";
import { InstitutionPage } from "./pages/InstitutionPage";
import { UnitsPage } from "./pages/UnitsPage";
import { PeoplePage } from "./pages/PeoplePage";
import { AuditPage } from "./pages/AuditPage";
import { ProposalsPage } from "./pages/ProposalsPage";
import { ProposalEditor } from "./pages/ProposalEditor";
import { TaxonomyPage } from "./pages/settings/TaxonomyPage";
import { PoliciesPage } from "./pages/settings/PoliciesPage";
import { PathwaysPage } from "./pages/settings/PathwaysPage";
import { RoutesPage } from "./pages/settings/RoutesPage";
import { MicrocredentialPage, MicrocredentialsPage } from "./pages/MicrocredentialsPage";
import { ReportsPage } from "./pages/ReportsPage";
import { CalendarPage } from "./pages/settings/CalendarPage";
import { InboxPage } from "./pages/InboxPage";
import { CommitteePage } from "./pages/CommitteePage";
import { MeetingsPage } from "./pages/MeetingsPage";
import { MeetingPage } from "./pages/MeetingPage";
import { CredentialsPage } from "./pages/CredentialsPage";
import { PriorLearningPage } from "./pages/PriorLearningPage";
import { VerifyPage } from "./pages/VerifyPage";
import { EventBanner } from "./pages/EventsPanel";

/** What an event workspace offers: it issues, revokes its own awards, verifies. */
const eventSections = new Set(["/credentials", "/verify", "/audit"]);

/** The sections that work; later capabilities add theirs here. */
const sections = [
  { path: "/inbox", label: "Things to do", icon: IconInbox },
  { path: "/proposals", label: "Proposals", icon: IconFileDescription },
  { path: "/meetings", label: "Meetings", icon: IconCalendarEvent },
  { path: "/committee", label: "Committee", icon: IconUsersGroup },
  { path: "/microcredentials", label: "Microcredentials", icon: IconCertificate },
  { path: "/credentials", label: "Credentials", icon: IconAward },
  { path: "/prior-learning", label: "Prior learning", icon: IconSchool },
  { path: "/reports", label: "Reports", icon: IconChartBar },
  { path: "/verify", label: "Verify", icon: IconShieldCheck },
  { path: "/institution", label: "Institution", icon: IconBuildingBank },
  { path: "/units", label: "Units", icon: IconHierarchy2 },
  { path: "/people", label: "People", icon: IconUsers },
  { path: "/audit", label: "Audit log", icon: IconListCheck },
  { path: "/settings/taxonomy", label: "Taxonomy", icon: IconTags },
  { path: "/settings/policies", label: "Policies", icon: IconScale },
  { path: "/settings/pathways", label: "Pathways", icon: IconRoute },
  { path: "/settings/routes", label: "Review routes", icon: IconArrowsSplit },
  { path: "/settings/calendar", label: "Academic calendar", icon: IconCalendar },
];

export function initials(name: string) {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join("");
}

function ThemeChoice() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <SegmentedControl
      size="xs"
      aria-label="Theme"
      value={colorScheme}
      onChange={(v) => setColorScheme(v as MantineColorScheme)}
      data={[
        { value: "auto", label: "Auto" },
        { value: "light", label: "Light" },
        { value: "dark", label: "Dark" },
      ]}
    />
  );
}

function ActingPerson({ status }: { status: WorkspaceStatus }) {
  const client = useQueryClient();
  const people = useQuery({
    queryKey: keys.people,
    queryFn: api.listPeople,
    enabled: !status.sign_in_required,
  });
  const choose = useMutation({
    mutationFn: api.setActingPerson,
    onSuccess: () => client.invalidateQueries({ queryKey: keys.session }),
  });
  const signOut = useMutation({
    mutationFn: api.signOut,
    onSuccess: () => client.invalidateQueries({ queryKey: keys.session }),
  });
  const acting = status.acting;
  if (!acting) return null;
  return (
    <Menu position="bottom-end" width={280}>
      <Menu.Target>
        <UnstyledButton
          data-testid="acting-person"
          title={status.sign_in_required ? "Signed in: switch person or lock" : "Change who is acting"}
        >
          <span className="visually-hidden">{status.sign_in_required ? "Signed in as " : "Acting as "}</span>
          <Group gap="xs">
            <Avatar size="sm" color="indigo" radius="xl">
              {initials(acting.name)}
            </Avatar>
            <div>
              <Text size="sm" fw={500}>
                {acting.name}
              </Text>
              <Text size="xs" c="dimmed">
                {acting.roles.map((r) => roleLabels[r]).join(", ")}
              </Text>
            </div>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      {status.sign_in_required ? (
        <Menu.Dropdown>
          <Menu.Label>Your key signs every change you make</Menu.Label>
          <Menu.Item onClick={() => signOut.mutate()} data-testid="switch-person">
            Switch person
          </Menu.Item>
          <Menu.Item onClick={() => signOut.mutate()} data-testid="lock">
            Lock (sign out)
          </Menu.Item>
        </Menu.Dropdown>
      ) : (
        <Menu.Dropdown mah={400} style={{ overflowY: "auto" }}>
          <Menu.Label>Act as</Menu.Label>
          {(people.data ?? []).map((p) => (
            <Menu.Item key={p.id} onClick={() => choose.mutate(p.id)} disabled={p.id === acting.id}>
              {p.name}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      )}
    </Menu>
  );
}

export function Shell({ status }: { status: WorkspaceStatus }) {
  const location = useLocation();
  const navigate = useNavigate();
  const inbox = useQuery({ queryKey: keys.inbox, queryFn: api.inbox });
  const taskCount = inbox.data?.tasks.length ?? 0;
  const held = useQuery({ queryKey: keys.heldEvent, queryFn: api.heldEvent });
  const event = held.data ?? null;
  const shown = event ? sections.filter((s) => eventSections.has(s.path)) : sections;
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 220, breakpoint: 0 }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Title order={1} size="h3">
              Credence
            </Title>
            <Text fw={500} c="dimmed" title={status.path} data-testid="institution-title">
              {status.institution?.name}
            </Text>
          </Group>
          <Group gap="lg" wrap="nowrap">
            <ThemeChoice />
            <ActingPerson status={status} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Sections">
        {shown.map((s) => (
          <NavLink
            key={s.path}
            href={`#${s.path}`}
            label={s.label}
            leftSection={<s.icon size={18} stroke={1.6} aria-hidden />}
            rightSection={s.path === "/inbox" && taskCount > 0 ? <Badge size="sm" color="red.9" data-testid="inbox-count">{taskCount}</Badge> : undefined}
            active={location.pathname.startsWith(s.path)}
            variant="filled"
            onClick={(e) => {
              e.preventDefault();
              navigate(s.path);
            }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        {event && <EventBanner event={event} />}
        <Routes>
          <Route path="/inbox" element={<InboxPage />} />
          <Route path="/committee" element={<CommitteePage />} />
          <Route path="/microcredentials" element={<MicrocredentialsPage />} />
          <Route path="/microcredentials/:slug" element={<MicrocredentialPage />} />
          <Route path="/credentials" element={<CredentialsPage />} />
          <Route path="/prior-learning" element={<PriorLearningPage />} />
          <Route path="/verify" element={<VerifyPage />} />
          <Route path="/meetings" element={<MeetingsPage />} />
          <Route path="/meetings/:id" element={<MeetingPage />} />
          <Route path="/proposals" element={<ProposalsPage />} />
          <Route path="/proposals/:id" element={<ProposalEditor />} />
          <Route path="/institution" element={<InstitutionPage />} />
          <Route path="/units" element={<UnitsPage />} />
          <Route path="/people" element={<PeoplePage />} />
          <Route path="/audit" element={<AuditPage />} />
          <Route path="/settings/taxonomy" element={<TaxonomyPage />} />
          <Route path="/settings/policies" element={<PoliciesPage />} />
          <Route path="/settings/calendar" element={<CalendarPage />} />
          <Route path="/reports" element={<ReportsPage />} />
          <Route path="/settings/pathways" element={<PathwaysPage />} />
          <Route path="/settings/routes" element={<RoutesPage />} />
          <Route path="*" element={<Navigate to={event ? "/credentials" : "/institution"} replace />} />
        </Routes>
      </AppShell.Main>
    </AppShell>
  );
}
