import {
  Alert,
  Box,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle, IconMailOff } from '@tabler/icons-react';
import { type FormEvent, useRef, useState } from 'react';
import {
  type EmailCategory,
  type SendEmail,
  type SkipReason,
  sendEmailSchema,
} from '../../../../shared/communications.js';
import { Markdown } from '../../../components/markdown.js';
import { isApiError } from '../../../lib/api-client.js';
import { displayName } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { zodErrors } from '../../../lib/zod-form.js';
import { useCustomer } from '../../customers/api/get-customer.js';
import { usePreferences } from '../api/get-preferences.js';
import { useSendEmail } from '../api/send-email.js';
import { TemplatePicker } from './template-picker.js';

/** The email being answered: the reply stays in its thread. */
export interface ReplyTarget {
  emailId: string;
  subject: string;
}

type Mode = 'write' | 'template';

const categoryOptions = [
  { value: 'transactional', label: 'Transactional' },
  { value: 'marketing', label: 'Marketing' },
];

/** Why nothing was sent, in the words staff use. */
export function skipReasonText(reason: SkipReason, category: EmailCategory): string {
  switch (reason) {
    case 'do_not_contact':
      return 'This customer asked not to be contacted, so nothing was sent.';
    case 'unsubscribed':
      return `This customer unsubscribed from ${category} email, so nothing was sent.`;
    case 'no_email':
      return 'This customer has no email address: add one to their contact details first.';
    case 'customer_not_found':
      return 'This customer no longer exists.';
  }
}

const replySubject = (subject: string) => (/^re:/i.test(subject.trim()) ? subject : `Re: ${subject}`);

/** The fields this form shows; a server message on any other field goes to a notification. */
const shownFields = ['subject', 'body', 'category', 'template_id'];

/**
 * One email to one customer: written here (markdown, previewable) or from a template previewed
 * with this customer's data. A customer who may not be mailed is reported, not silently dropped.
 */
export function ComposeEmail({
  customerId,
  opened,
  replyTo,
  onClose,
}: {
  customerId: string;
  opened: boolean;
  replyTo: ReplyTarget | null;
  onClose: () => void;
}) {
  const send = useSendEmail(customerId);
  const customer = useCustomer(customerId).data;
  const preferences = usePreferences(customerId).data?.preferences;
  const [mode, setMode] = useState<Mode>('write');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [bodyTab, setBodyTab] = useState<'write' | 'preview'>('write');
  const [category, setCategory] = useState<EmailCategory>('transactional');
  const [template, setTemplate] = useState<{ id: string; category: EmailCategory } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [skipped, setSkipped] = useState<{ reason: SkipReason; category: EmailCategory } | null>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  // a reply's subject, filled in once per reply opened
  const [seededFor, setSeededFor] = useState<string | null>(null);
  if (opened && replyTo && seededFor !== replyTo.emailId) {
    setSeededFor(replyTo.emailId);
    setSubject(replySubject(replyTo.subject));
  }

  const close = () => {
    setMode('write');
    setSubject('');
    setBody('');
    setBodyTab('write');
    setCategory('transactional');
    setTemplate(null);
    setErrors({});
    setSkipped(null);
    setSeededFor(null);
    send.reset();
    onClose();
  };

  const toBody = (): SendEmail => {
    const common = {
      customer_id: customerId,
      ...(replyTo ? { in_reply_to_email_id: replyTo.emailId } : {}),
    };
    if (mode === 'template') return { ...common, template_id: template?.id };
    return { ...common, subject: subject.trim(), body: body.trim() || undefined, category };
  };

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (send.isPending) return;
    const request = toBody();
    const local = zodErrors(sendEmailSchema, request);
    if (mode === 'template' && !template) local.template_id = 'Choose a template';
    setErrors(local);
    setSkipped(null);
    if (Object.keys(local).length > 0) return;
    const sentCategory = mode === 'template' ? (template?.category ?? 'marketing') : category;
    send.mutate(request, {
      onSuccess: (result) => {
        if (!result.email) {
          setSkipped({ reason: result.skipped[0]?.reason ?? 'customer_not_found', category: sentCategory });
          return;
        }
        const outbox = result.outbox || result.email.transport === 'outbox';
        notifySuccess(outbox ? 'Written to the outbox (no SMTP server: not delivered)' : 'Email sent');
        close();
      },
      onError: (error) => {
        const fields = isApiError(error) ? error.fieldErrors : {};
        setErrors(fields);
        if (!Object.keys(fields).some((f) => shownFields.includes(f))) {
          notifyError(error, 'Could not send the email');
        }
      },
    });
  };

  // said before sending, from the preferences already on the profile; the server decides
  const chosenCategory = mode === 'template' ? template?.category : category;
  const blocked =
    preferences && chosenCategory
      ? preferences.do_not_contact
        ? 'do_not_contact'
        : preferences.email[chosenCategory]
          ? null
          : 'unsubscribed'
      : null;

  const to = customer ? `${displayName(customer)}${customer.email ? ` <${customer.email}>` : ''}` : '';

  return (
    <Modal opened={opened} onClose={close} title={replyTo ? 'Reply' : 'New email'} size="xl" centered>
      <form noValidate onSubmit={submit} aria-label={replyTo ? 'Reply' : 'New email'}>
        <Stack gap="sm">
          {to ? (
            <Text size="sm">
              <Text span c="dimmed">
                To:{' '}
              </Text>
              {to}
            </Text>
          ) : null}
          <SegmentedControl
            aria-label="How to write the email"
            data={[
              { value: 'write', label: 'Write' },
              { value: 'template', label: 'Template' },
            ]}
            value={mode}
            onChange={(v) => {
              setMode(v as Mode);
              setErrors({});
              setSkipped(null);
            }}
            style={{ alignSelf: 'flex-start' }}
          />
          {mode === 'write' ? (
            <>
              <TextInput
                label="Subject"
                required
                maxLength={300}
                data-autofocus
                value={subject}
                error={errors.subject}
                onChange={(e) => setSubject(e.currentTarget.value)}
                onKeyDown={(e) => {
                  // Enter moves on to the message rather than sending a half-written email
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    setBodyTab('write');
                    bodyRef.current?.focus();
                  }
                }}
              />
              <Box>
                <Tabs
                  value={bodyTab}
                  onChange={(v) => setBodyTab(v === 'preview' ? 'preview' : 'write')}
                  variant="outline"
                >
                  <Tabs.List>
                    <Tabs.Tab value="write">Write</Tabs.Tab>
                    <Tabs.Tab value="preview">Preview</Tabs.Tab>
                  </Tabs.List>
                </Tabs>
                {bodyTab === 'write' ? (
                  <Textarea
                    ref={bodyRef}
                    label="Message"
                    required
                    description="Markdown; links become clickable. Ctrl+Enter (⌘+Enter) sends"
                    inputWrapperOrder={['label', 'input', 'description', 'error']}
                    // not autosize: it needs document.fonts, which happy-dom (the component tests) lacks
                    rows={8}
                    resize="vertical"
                    mt="xs"
                    value={body}
                    error={errors.body}
                    onChange={(e) => setBody(e.currentTarget.value)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
                    }}
                  />
                ) : (
                  <Box
                    mt="xs"
                    mih={160}
                    p="sm"
                    bd="1px solid var(--mantine-color-default-border)"
                    style={{ borderRadius: 'var(--mantine-radius-sm)' }}
                    role="region"
                    aria-label="Preview"
                  >
                    {body.trim() ? (
                      <Markdown source={body} />
                    ) : (
                      <Text size="sm" c="dimmed">
                        Nothing to preview yet.
                      </Text>
                    )}
                  </Box>
                )}
              </Box>
              <Select
                label="Category"
                description="Marketing email needs the customer's marketing consent"
                data={categoryOptions}
                value={category}
                allowDeselect={false}
                error={errors.category}
                onChange={(v) => setCategory((v as EmailCategory | null) ?? 'transactional')}
                w={260}
              />
            </>
          ) : (
            <TemplatePicker
              customerId={customerId}
              value={template?.id ?? null}
              error={errors.template_id}
              onChange={(picked) => {
                setTemplate(picked);
                setErrors({});
                setSkipped(null);
              }}
            />
          )}
          {blocked && !skipped ? (
            <Group gap={6} wrap="nowrap">
              <IconAlertTriangle size={16} color="var(--mantine-color-orange-filled)" aria-hidden />
              <Text size="sm" c="var(--mantine-color-orange-text)">
                {blocked === 'do_not_contact'
                  ? 'This customer asked not to be contacted: the email will not be sent.'
                  : `This customer does not want ${chosenCategory} email: it will not be sent.`}
              </Text>
            </Group>
          ) : null}
          {skipped ? (
            <Alert color="orange" icon={<IconMailOff size={18} />} title="Not sent" role="alert">
              {skipReasonText(skipped.reason, skipped.category)}
            </Alert>
          ) : null}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={send.isPending}>
              Send
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
