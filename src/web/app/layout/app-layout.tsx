import { AppShell, Burger, Center, Group, Loader, NavLink, ScrollArea, Text, ThemeIcon } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconActivity,
  IconAddressBook,
  IconApi,
  IconBriefcase,
  IconChecklist,
  IconChartDots,
  IconChartHistogram,
  IconChartPie,
  IconExternalLink,
  IconFileExport,
  IconFileImport,
  IconKey,
  IconListSearch,
  IconMail,
  IconTags,
  IconTicket,
  IconUserPlus,
  IconUsersGroup,
} from '@tabler/icons-react';
import { type ReactNode, Suspense } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import type { Permission } from '../../../shared/permissions.js';
import { ColorSchemeToggle } from '../../components/color-scheme-toggle.js';
import { useMe } from '../../features/auth/api/get-me.js';
import { NotificationsMenu } from '../../features/notifications/components/notifications-menu.js';
import { UserMenu } from './user-menu.js';

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  permission?: Permission;
  /** Active only on this exact path (so /customers is not active on /customers/new). */
  exact?: boolean;
}

const navItems: NavItem[] = [
  {
    to: '/my-work',
    label: 'My work',
    icon: <IconBriefcase size={18} stroke={1.6} />,
    permission: 'customers:read',
  },
  { to: '/customers', label: 'Customers', icon: <IconAddressBook size={18} stroke={1.6} /> },
  {
    to: '/customers/new',
    label: 'New customer',
    icon: <IconUserPlus size={18} stroke={1.6} />,
    permission: 'customers:write',
    exact: true,
  },
  {
    to: '/customers/import',
    label: 'Import',
    icon: <IconFileImport size={18} stroke={1.6} />,
    permission: 'customers:import',
    exact: true,
  },
  {
    to: '/tickets',
    label: 'Tickets',
    icon: <IconTicket size={18} stroke={1.6} />,
    permission: 'customers:read',
  },
  {
    to: '/tasks',
    label: 'Tasks',
    icon: <IconChecklist size={18} stroke={1.6} />,
    permission: 'customers:read',
  },
  {
    to: '/activity',
    label: 'Team activity',
    icon: <IconActivity size={18} stroke={1.6} />,
    permission: 'customers:read',
  },
  {
    to: '/communications',
    label: 'Email',
    icon: <IconMail size={18} stroke={1.6} />,
    permission: 'customers:read',
  },
  {
    to: '/segments',
    label: 'Segments',
    icon: <IconChartPie size={18} stroke={1.6} />,
    permission: 'customers:read',
  },
  { to: '/tags', label: 'Tags', icon: <IconTags size={18} stroke={1.6} />, permission: 'customers:read' },
  {
    to: '/insights',
    label: 'Lifecycle & RFM',
    icon: <IconChartDots size={18} stroke={1.6} />,
    permission: 'customers:read',
  },
  {
    to: '/analytics',
    label: 'Analytics',
    icon: <IconChartHistogram size={18} stroke={1.6} />,
    permission: 'analytics:read',
  },
  {
    to: '/exports',
    label: 'Exports',
    icon: <IconFileExport size={18} stroke={1.6} />,
    permission: 'export:customers',
  },
  {
    to: '/audit',
    label: 'Audit log',
    icon: <IconListSearch size={18} stroke={1.6} />,
    permission: 'audit:read',
  },
  {
    to: '/staff',
    label: 'Staff',
    icon: <IconUsersGroup size={18} stroke={1.6} />,
    permission: 'users:manage',
  },
  { to: '/settings/tokens', label: 'API tokens', icon: <IconKey size={18} stroke={1.6} /> },
];

function isActive(pathname: string, item: NavItem): boolean {
  if (item.exact) return pathname === item.to;
  if (item.to === '/customers') {
    return (
      pathname === '/customers' ||
      (pathname.startsWith('/customers/') && !/^\/customers\/(new|import)$/.test(pathname))
    );
  }
  return pathname === item.to || pathname.startsWith(`${item.to}/`);
}

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { data: me } = useMe();
  const { pathname } = useLocation();
  const visible = navItems.filter((item) => !item.permission || me?.permissions.includes(item.permission));

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Link to="/customers" style={{ textDecoration: 'none', color: 'inherit', borderRadius: 8 }}>
              <Group gap={8} wrap="nowrap">
                <ThemeIcon size={30} radius="md" variant="filled" aria-hidden>
                  <IconAddressBook size={18} />
                </ThemeIcon>
                <Text fw={700} size="lg" component="span">
                  CRM console
                </Text>
              </Group>
            </Link>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <NotificationsMenu />
            <ColorSchemeToggle />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" component="nav" aria-label="Main navigation">
        <AppShell.Section grow component={ScrollArea}>
          {visible.map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              leftSection={item.icon}
              active={isActive(pathname, item)}
              aria-current={isActive(pathname, item) ? 'page' : undefined}
              onClick={close}
              style={{ borderRadius: 8 }}
            />
          ))}
        </AppShell.Section>
        <AppShell.Section>
          <NavLink
            component="a"
            href="/api/docs"
            target="_blank"
            rel="noreferrer"
            label="API docs"
            leftSection={<IconApi size={18} stroke={1.6} />}
            rightSection={<IconExternalLink size={14} aria-label="opens in a new tab" />}
            style={{ borderRadius: 8 }}
          />
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Suspense
          fallback={
            <Center h={240}>
              <Loader role="status" aria-label="Loading page" />
            </Center>
          }
        >
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
