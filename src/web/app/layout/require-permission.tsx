import { Alert, Center, Loader } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { Permission } from '../../../shared/permissions.js';
import { useMe } from '../../features/auth/api/get-me.js';

export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { data: me, isPending } = useMe();
  if (isPending) {
    return (
      <Center h={200}>
        <Loader role="status" aria-label="Loading" />
      </Center>
    );
  }
  if (!me?.permissions.includes(permission)) {
    return (
      <Alert color="yellow" icon={<IconLock size={18} />} title="Not allowed" maw={560}>
        Your role does not allow this page. Ask an administrator if you need access.
      </Alert>
    );
  }
  return children;
}
