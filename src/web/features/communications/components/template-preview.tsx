import { Alert, Box, Card, Code, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { RenderedEmail } from '../../../../shared/communications.js';
import { errorMessage, isApiError } from '../../../lib/api-client.js';
import { CustomerPicker, type PickedCustomer } from '../../customers/components/customer-picker.js';
import { type TemplatePreviewRequest, useTemplatePreview } from '../api/preview-template.js';
import { type ContentField, contentFieldLabels, contentFields } from './template-form.js';

type Content = Pick<TemplatePreviewRequest, ContentField>;

/** What a render error says, per part ("Subject: Unknown variable {{frist_name}}"). */
function renderProblems(error: unknown): string[] {
  if (isApiError(error, 400)) {
    const lines = contentFields
      .filter((field) => error.fieldErrors[field])
      .map((field) => `${contentFieldLabels[field]}: ${error.fieldErrors[field]}`);
    if (lines.length > 0) return lines;
  }
  return [errorMessage(error)];
}

/**
 * Links try a new window, which the sandbox refuses: a click in the preview neither leaves the
 * frame for the shop's site nor counts as anything. Images load, so the author sees the email as sent.
 */
const linksOut = '<base target="_blank">';

/** The rendered email: subject, the HTML part in a sandboxed frame (no scripts, no same origin), the text part. */
export function RenderedEmailView({ email, label }: { email: RenderedEmail; label: string }) {
  return (
    <Stack gap="sm">
      <div>
        <Text size="xs" c="dimmed" fw={600} tt="uppercase">
          Subject
        </Text>
        <Text size="sm" fw={600} data-testid="preview-subject">
          {email.subject}
        </Text>
      </div>
      <div>
        <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={4}>
          HTML
        </Text>
        <Box
          component="iframe"
          sandbox=""
          srcDoc={`${linksOut}${email.html}`}
          title={`${label}: HTML part`}
          w="100%"
          h={320}
          style={{
            border: '1px solid var(--mantine-color-default-border)',
            borderRadius: 4,
            background: 'white',
          }}
        />
      </div>
      <div>
        <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={4}>
          Text
        </Text>
        <Code block aria-label={`${label}: text part`} style={{ whiteSpace: 'pre-wrap', maxHeight: 240 }}>
          {email.text}
        </Code>
      </div>
    </Stack>
  );
}

/**
 * The template rendered by the server as it is typed (debounced), with sample data or with a
 * chosen customer's data.
 */
export function TemplatePreview({ content, canRender }: { content: Content; canRender: boolean }) {
  const [customer, setCustomer] = useState<PickedCustomer | null>(null);
  // debounced as one string: the caller's object is new on every keystroke
  const [debounced] = useDebouncedValue(JSON.stringify(content), 400);
  const request = useMemo<TemplatePreviewRequest | null>(() => {
    const typed = JSON.parse(debounced) as Content;
    if (!canRender || contentFields.some((field) => typed[field].trim() === '')) return null;
    return {
      subject: typed.subject,
      body_html: typed.body_html,
      body_text: typed.body_text,
      ...(customer ? { customer_id: customer.id } : {}),
    };
  }, [debounced, customer, canRender]);
  const preview = useTemplatePreview(request);

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="template-preview-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="template-preview-title">
          Preview
        </Title>
        {preview.isFetching ? <Loader size="xs" aria-label="Rendering preview" /> : null}
      </Group>
      <Stack gap="md">
        <CustomerPicker
          description={
            customer
              ? "Variables filled with this customer's data"
              : 'Sample data; pick a customer to use theirs'
          }
          value={customer}
          onChange={setCustomer}
        />
        {!request ? (
          <Text size="sm" c="dimmed">
            Write a subject, an HTML body and a text body to see the email.
          </Text>
        ) : preview.isError ? (
          <Alert
            color="orange"
            icon={<IconAlertTriangle size={18} />}
            title="Cannot render this yet"
            role="alert"
          >
            <Stack gap={2}>
              {renderProblems(preview.error).map((line) => (
                <Text key={line} size="sm">
                  {line}
                </Text>
              ))}
            </Stack>
          </Alert>
        ) : preview.data ? (
          <div style={{ opacity: preview.isPlaceholderData ? 0.6 : 1 }}>
            <RenderedEmailView email={preview.data} label="Preview" />
          </div>
        ) : (
          <Loader size="sm" />
        )}
      </Stack>
    </Card>
  );
}
