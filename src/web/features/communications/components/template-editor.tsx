import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Divider,
  Grid,
  Group,
  Select,
  Skeleton,
  Stack,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type UseFormReturnType, useForm } from '@mantine/form';
import { useDisclosure, useWindowEvent } from '@mantine/hooks';
import { IconArchive, IconArrowLeft, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link, useBlocker, useNavigate } from 'react-router';
import {
  type EmailTemplate,
  type EmailTemplateVersion,
  emailCategories,
} from '../../../../shared/communications.js';
import { PageHeader } from '../../../components/page-header.js';
import { QueryError } from '../../../components/query-error.js';
import { VersionConflictModal } from '../../../components/version-conflict-modal.js';
import { isApiError } from '../../../lib/api-client.js';
import { humanize } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { queryKeys } from '../../../lib/query-keys.js';
import { usePermission } from '../../auth/api/get-me.js';
import { useDeleteEmailTemplate } from '../api/delete-email-template.js';
import { useEmailTemplate } from '../api/get-email-template.js';
import { useCreateEmailTemplate, useUpdateEmailTemplate } from '../api/save-email-template.js';
import { TemplateDeleteModal } from './template-delete-modal.js';
import {
  type ContentField,
  type TemplateFormValues,
  templateFieldErrors,
  templateFormValues,
  toCreateBody,
  toUpdateBody,
  validateTemplate,
} from './template-form.js';
import { LeaveUnsavedModal } from '../../../components/leave-unsaved-modal.js';
import { TemplatePreview } from './template-preview.js';
import { TemplateVariableMenu } from './template-variable-menu.js';
import { TemplateVersions } from './template-versions.js';

const templatesPath = '/communications?tab=templates';
const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } };
const categoryOptions = emailCategories.map((c) => ({ value: c, label: humanize(c) }));

function isTemplate(value: unknown): value is EmailTemplate {
  return !!value && typeof value === 'object' && 'id' in value && 'version' in value && 'body_html' in value;
}

/** Where "Insert variable" puts `{{name}}`: the content field last focused, at its cursor. */
function useVariableInsertion(form: UseFormReturnType<TemplateFormValues>) {
  const [target, setTarget] = useState<ContentField>('body_html');
  const refs = {
    subject: useRef<HTMLInputElement>(null),
    body_html: useRef<HTMLTextAreaElement>(null),
    body_text: useRef<HTMLTextAreaElement>(null),
  };
  const insert = (token: string) => {
    const element = refs[target].current;
    const value = form.getValues()[target];
    const start = element?.selectionStart ?? value.length;
    const end = element?.selectionEnd ?? start;
    form.setFieldValue(target, value.slice(0, start) + token + value.slice(end));
    form.clearFieldError(target);
    // back to the field, the cursor after what was inserted
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + token.length, start + token.length);
    });
  };
  const fieldProps = (field: ContentField) => {
    const props = form.getInputProps(field);
    return {
      ...props,
      onFocus: (event: React.FocusEvent) => {
        setTarget(field);
        props.onFocus?.(event);
      },
    };
  };
  return { target, refs, insert, fieldProps };
}

/**
 * Creates a template or edits one (`template` given). Saving an edit sends the version it was
 * loaded at; a changed subject or body becomes a new version, and a 409 lets the user reload the
 * stored one or overwrite it. Without `email:campaigns` (or once archived) it only shows.
 */
function TemplateForm({ template }: { template?: EmailTemplate }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const canEdit = usePermission('email:campaigns');
  // the server renders previews for those who may send
  const canSend = usePermission('email:send');
  const editable = canEdit && !template?.archived;
  const create = useCreateEmailTemplate();
  const update = useUpdateEmailTemplate();
  const remove = useDeleteEmailTemplate();
  const [deleting, deleteModal] = useDisclosure(false);
  const [version, setVersion] = useState(template?.version ?? 0);
  const [base, setBase] = useState(() => templateFormValues(template));
  const [conflict, setConflict] = useState<EmailTemplate | null>(null);
  const form = useForm<TemplateFormValues>({ initialValues: base, validate: validateTemplate });
  const variables = useVariableInsertion(form);
  const saving = create.isPending || update.isPending;

  // leaving with unsaved changes asks first; after a save (or a delete) the editor leaves freely
  const leaving = useRef(false);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      editable && !leaving.current && form.isDirty() && currentLocation.pathname !== nextLocation.pathname,
  );
  useWindowEvent('beforeunload', (event) => {
    if (editable && !leaving.current && form.isDirty()) event.preventDefault();
  });

  const showStored = (stored: EmailTemplate) => {
    const values = templateFormValues(stored);
    queryClient.setQueryData(queryKeys.communications.template(stored.id), stored);
    form.setValues(values);
    form.resetDirty(values);
    setBase(values);
    setVersion(stored.version);
  };

  const onSaveError = (error: unknown) => {
    if (isApiError(error, 409) && error.code === 'version_conflict' && isTemplate(error.current)) {
      setConflict(error.current);
      return;
    }
    setConflict(null);
    if (isApiError(error)) form.setErrors({ ...form.errors, ...templateFieldErrors(error.fieldErrors) });
    notifyError(error, 'Could not save the template');
  };

  const put = (values: TemplateFormValues, atVersion: number, everything = false) => {
    if (!template) return;
    const body = everything
      ? { ...toCreateBody(values), version: atVersion }
      : toUpdateBody(values, base, atVersion);
    update.mutate(
      { id: template.id, body },
      {
        onSuccess: (stored) => {
          setConflict(null);
          showStored(stored);
          notifySuccess(
            stored.version !== version
              ? `Saved as version ${stored.version}`
              : `Template ${stored.name} saved`,
          );
        },
        onError: onSaveError,
      },
    );
  };

  const submit = (values: TemplateFormValues) => {
    if (template) return put(values, version);
    create.mutate(toCreateBody(values), {
      onSuccess: (stored) => {
        leaving.current = true;
        notifySuccess(`Template ${stored.name} created`);
        void navigate(`/communications/templates/${stored.id}`);
      },
      onError: onSaveError,
    });
  };

  const restore = (old: EmailTemplateVersion) => {
    form.setValues({ subject: old.subject, body_html: old.body_html, body_text: old.body_text });
    form.clearErrors();
    notifySuccess(`Version ${old.version} is in the editor: save to make it the current version`);
  };

  const confirmDelete = () => {
    if (!template) return;
    remove.mutate(template.id, {
      onSuccess: (reply) => {
        leaving.current = true;
        deleteModal.close();
        const archived =
          !!reply && typeof reply === 'object' && 'archived' in reply && reply.archived === true;
        notifySuccess(archived ? `Template ${template.name} archived` : `Template ${template.name} deleted`);
        void navigate(templatesPath);
      },
      onError: (error) => notifyError(error, 'Could not delete the template'),
    });
  };

  return (
    <form
      onSubmit={form.onSubmit(submit)}
      noValidate
      aria-label={template ? 'Edit template' : 'New template'}
    >
      <Anchor component={Link} to={templatesPath} size="sm" mb="xs" display="inline-flex">
        <IconArrowLeft size={14} style={{ marginRight: 4, alignSelf: 'center' }} aria-hidden />
        Templates
      </Anchor>
      <PageHeader
        title={template ? template.name : 'New template'}
        description={
          template ? (
            <Group gap={6} component="span">
              <span>
                {humanize(template.category)} template, version {version}
              </span>
              {template.archived ? (
                <Badge size="sm" color="gray" leftSection={<IconArchive size={12} />}>
                  Archived
                </Badge>
              ) : null}
            </Group>
          ) : (
            'Subject and bodies use variables such as {{first_name}}, filled for each customer.'
          )
        }
        actions={
          template && editable ? (
            <Button
              variant="outline"
              color="red.9"
              leftSection={<IconTrash size={16} />}
              onClick={deleteModal.open}
            >
              Delete
            </Button>
          ) : null
        }
      />
      {template?.archived ? (
        <Alert color="gray" icon={<IconArchive size={18} />} mb="md">
          This template is archived: it was used for sending, so its statistics are kept, but it can no longer
          be edited or chosen for new email.
        </Alert>
      ) : !canEdit ? (
        <Alert color="blue" mb="md">
          You can look at this template; changing templates needs the email campaigns permission.
        </Alert>
      ) : null}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <Card withBorder padding="lg">
              <Title order={2} size="h4" mb="md">
                Details
              </Title>
              <Stack gap="sm">
                <TextInput
                  label="Name"
                  required
                  maxLength={120}
                  autoComplete="off"
                  readOnly={!editable}
                  data-autofocus
                  {...form.getInputProps('name')}
                />
                <Select
                  label="Category"
                  description="Marketing email needs the customer's marketing consent"
                  data={categoryOptions}
                  allowDeselect={false}
                  readOnly={!editable}
                  {...form.getInputProps('category')}
                />
                <Textarea
                  label="Description"
                  rows={2}
                  resize="vertical"
                  readOnly={!editable}
                  {...form.getInputProps('description')}
                />
              </Stack>
            </Card>
            <Card withBorder padding="lg">
              <Group justify="space-between" mb="md">
                <Title order={2} size="h4">
                  Content
                </Title>
                {editable ? (
                  <TemplateVariableMenu target={variables.target} onInsert={variables.insert} />
                ) : null}
              </Group>
              <Stack gap="sm">
                <TextInput
                  label="Subject"
                  required
                  maxLength={300}
                  autoComplete="off"
                  readOnly={!editable}
                  ref={variables.refs.subject}
                  {...variables.fieldProps('subject')}
                />
                <Textarea
                  label="HTML body"
                  required
                  // not autosize: it needs document.fonts, which happy-dom (the component tests) lacks
                  rows={14}
                  resize="vertical"
                  spellCheck={false}
                  styles={mono}
                  readOnly={!editable}
                  ref={variables.refs.body_html}
                  {...variables.fieldProps('body_html')}
                />
                <Textarea
                  label="Text body"
                  required
                  description="For mail clients that do not show HTML"
                  rows={8}
                  resize="vertical"
                  styles={mono}
                  readOnly={!editable}
                  ref={variables.refs.body_text}
                  {...variables.fieldProps('body_text')}
                />
              </Stack>
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <TemplatePreview
              canRender={canSend}
              content={{
                subject: form.values.subject,
                body_html: form.values.body_html,
                body_text: form.values.body_text,
              }}
            />
            {template ? (
              <TemplateVersions
                templateId={template.id}
                current={version}
                canRestore={editable}
                onRestore={restore}
              />
            ) : null}
          </Stack>
        </Grid.Col>
      </Grid>
      {editable ? (
        <>
          <Divider my="md" />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => navigate(templatesPath)}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              {template ? 'Save template' : 'Create template'}
            </Button>
          </Group>
        </>
      ) : null}
      <LeaveUnsavedModal
        what="template"
        opened={blocker.state === 'blocked'}
        onStay={() => blocker.reset?.()}
        onLeave={() => blocker.proceed?.()}
      />
      <TemplateDeleteModal
        name={template?.name ?? ''}
        opened={deleting}
        deleting={remove.isPending}
        onConfirm={confirmDelete}
        onClose={deleteModal.close}
      />
      <VersionConflictModal
        what="template"
        updatedAt={conflict?.updated_at ?? null}
        saving={update.isPending}
        onReload={() => {
          if (!conflict) return;
          showStored(conflict);
          form.clearErrors();
          setConflict(null);
          notifySuccess('Showing the latest version');
        }}
        onOverwrite={() => conflict && put(form.getValues(), conflict.version, true)}
        onClose={() => setConflict(null)}
      />
    </form>
  );
}

/** /communications/templates/new (no `templateId`) and /communications/templates/:id. */
export function TemplateEditor({ templateId }: { templateId?: string }) {
  const template = useEmailTemplate(templateId);
  if (!templateId) return <TemplateForm />;
  if (template.isPending) {
    return (
      <Stack gap="md" role="status" aria-busy="true" aria-label="Loading template">
        <Skeleton height={36} width="40%" />
        <Skeleton height={220} />
        <Skeleton height={320} />
      </Stack>
    );
  }
  if (template.isError) {
    return (
      <QueryError
        error={template.error}
        title="Could not load the template"
        onRetry={isApiError(template.error, 404) ? undefined : () => void template.refetch()}
      />
    );
  }
  return <TemplateForm key={template.data.id} template={template.data} />;
}
