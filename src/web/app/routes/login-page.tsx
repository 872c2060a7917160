import { Box, Center, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAddressBook } from '@tabler/icons-react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ColorSchemeToggle } from '../../components/color-scheme-toggle.js';
import { useMe } from '../../features/auth/api/get-me.js';
import { LoginForm } from '../../features/auth/components/login-form.js';

/** Only same-app paths: never an open redirect. */
function safeRedirect(value: string | null): string {
  if (value?.startsWith('/') && !value.startsWith('//') && !value.startsWith('/login')) return value;
  return '/customers';
}

export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { data: me } = useMe();
  const target = safeRedirect(params.get('redirect'));

  if (me) return <Navigate to={target} replace />;

  return (
    <Box mih="100vh" bg="var(--mantine-color-body)">
      <Group justify="flex-end" p="md">
        <ColorSchemeToggle />
      </Group>
      <Center px="md" pb={80}>
        <Stack w="100%" maw={400} gap="lg">
          <Stack align="center" gap="xs">
            <ThemeIcon size={48} radius="md" aria-hidden>
              <IconAddressBook size={28} />
            </ThemeIcon>
            <Title order={1} size="h2">
              Sign in to CRM console
            </Title>
            <Text c="dimmed" size="sm">
              Use your staff account.
            </Text>
          </Stack>
          <Paper withBorder shadow="sm" p="xl" radius="md" component="main">
            <LoginForm onSignedIn={() => navigate(target, { replace: true })} />
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
