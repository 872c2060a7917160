import { Avatar, Group, Menu, Skeleton, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconKey, IconLock, IconLogout } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useMe } from '../../features/auth/api/get-me.js';
import { useLogout } from '../../features/auth/api/logout.js';
import { ChangePasswordModal } from '../../features/auth/components/change-password-modal.js';
import { humanize } from '../../lib/format.js';

function initials(name: string | null, email: string): string {
  const source = name?.trim() || email;
  const parts = source.split(/[\s@.]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '')).toUpperCase() || '?';
}

export function UserMenu() {
  const { data: me } = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  const [passwordOpen, password] = useDisclosure(false);
  if (!me) return <Skeleton height={34} width={140} radius="xl" />;
  return (
    <>
      <ChangePasswordModal opened={passwordOpen} onClose={password.close} />
      <Menu position="bottom-end" width={220} withinPortal>
        <Menu.Target>
          <UnstyledButton style={{ borderRadius: 8 }}>
            <Group gap={8} wrap="nowrap">
              <VisuallyHidden>Account menu:</VisuallyHidden>
              <Avatar size={32} radius="xl" color="indigo" aria-hidden>
                {initials(me.name, me.email)}
              </Avatar>
              <div style={{ lineHeight: 1.1 }}>
                <Text size="sm" fw={600} visibleFrom="sm" truncate maw={160}>
                  {me.name ?? me.email}
                </Text>
                <Text size="xs" c="dimmed" visibleFrom="sm">
                  {humanize(me.role)}
                </Text>
              </div>
              <IconChevronDown size={14} aria-hidden />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{me.email}</Menu.Label>
          <Menu.Item leftSection={<IconKey size={16} />} onClick={() => navigate('/settings/tokens')}>
            API tokens
          </Menu.Item>
          {me.auth === 'session' && (
            <Menu.Item leftSection={<IconLock size={16} />} onClick={password.open}>
              Change password
            </Menu.Item>
          )}
          <Menu.Divider />
          <Menu.Item
            leftSection={<IconLogout size={16} />}
            onClick={() =>
              logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })
            }
          >
            Sign out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </>
  );
}
