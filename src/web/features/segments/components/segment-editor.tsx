import {
  Button,
  Card,
  Divider,
  Grid,
  Group,
  Input,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useWindowEvent } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useBlocker, useNavigate } from 'react-router';
import { type CriteriaGroup, validateCriteria } from '../../../../shared/criteria/index.js';
import { type Segment, type SegmentCreate, segmentNameSchema } from '../../../../shared/segments.js';
import { isApiError } from '../../../lib/api-client.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { queryKeys } from '../../../lib/query-keys.js';
import { emptyToNull } from '../../../lib/zod-form.js';
import { CriteriaBuilder } from '../../criteria/components/criteria-builder.js';
import { CriteriaPreview } from '../../criteria/components/criteria-preview.js';
import { ruleOfPath, toCriteriaGroup } from '../../criteria/criteria-tree.js';
import { useCreateSegment } from '../api/create-segment.js';
import { useUpdateSegment } from '../api/update-segment.js';
import { SegmentEditorConflictModal } from './segment-editor-conflict-modal.js';
import { LeaveUnsavedModal } from '../../../components/leave-unsaved-modal.js';

interface SegmentFormValues {
  name: string;
  description: string;
  auto_update: boolean;
  criteria: CriteriaGroup;
}

const formValues = (segment: Segment | undefined): SegmentFormValues => ({
  name: segment?.name ?? '',
  description: segment?.description ?? '',
  auto_update: segment?.auto_update ?? true,
  criteria: toCriteriaGroup(segment?.criteria),
});

/** A manual segment keeps criteria only when it has some (for reference). */
function toBody(values: SegmentFormValues): SegmentCreate {
  const keep = values.auto_update || values.criteria.rules.length > 0;
  return {
    name: values.name.trim(),
    description: emptyToNull(values.description),
    auto_update: values.auto_update,
    ...(keep ? { criteria: values.criteria } : {}),
  };
}

function validate(values: SegmentFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  const name = segmentNameSchema.safeParse(values.name);
  if (!name.success) errors.name = name.error.issues[0]?.message ?? 'Check the name';
  if (values.description.trim().length > 1000)
    errors.description = 'Description must be at most 1000 characters';
  if (values.auto_update && values.criteria.rules.length === 0) {
    errors.criteria = 'An automatic segment needs at least one rule';
  } else if (values.auto_update || values.criteria.rules.length > 0) {
    const checked = validateCriteria(values.criteria, 'criteria');
    if (!checked.ok) {
      const first = checked.errors[0]!;
      const rule = ruleOfPath(first.field);
      errors.criteria = rule ? `${rule}: ${first.message}` : first.message;
    }
  }
  return errors;
}

/** Server field errors onto the form: `criteria.rules.0.value` shows under the builder. */
function serverErrors(fieldErrors: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors)) {
    if (path.startsWith('criteria')) {
      const rule = ruleOfPath(path);
      errors.criteria ??= rule ? `${rule}: ${message}` : message;
    } else if (path === 'name' || path === 'description' || path === 'auto_update') {
      errors[path] = message;
    }
  }
  return errors;
}

function isSegment(value: unknown): value is Segment {
  return !!value && typeof value === 'object' && 'id' in value && 'version' in value && 'name' in value;
}

/**
 * Creates a segment, or edits one (`segment` given): name, description, automatic membership and
 * the criteria, with a live count of who matches. Saving an edit sends the version it was read
 * at; a 409 lets the user reload theirs or overwrite it.
 */
export function SegmentEditor({ segment }: { segment?: Segment }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useCreateSegment();
  const update = useUpdateSegment();
  const [version, setVersion] = useState(segment?.version ?? 0);
  const [conflict, setConflict] = useState<{ current: Segment; body: SegmentCreate } | null>(null);
  const form = useForm<SegmentFormValues>({ initialValues: formValues(segment), validate });
  const saving = create.isPending || update.isPending;
  // leaving with unsaved changes asks first; after a save the editor leaves freely
  const saved = useRef(false);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      !saved.current && form.isDirty() && currentLocation.pathname !== nextLocation.pathname,
  );
  useWindowEvent('beforeunload', (event) => {
    if (!saved.current && form.isDirty()) event.preventDefault();
  });

  const onSaveError = (error: unknown, body: SegmentCreate) => {
    if (isApiError(error, 409) && error.code === 'version_conflict' && isSegment(error.current)) {
      setConflict({ current: error.current, body });
      return;
    }
    setConflict(null);
    if (isApiError(error, 409) && error.code === 'duplicate') {
      form.setFieldError('name', error.fieldErrors.name ?? 'Another segment already has this name');
      return;
    }
    if (isApiError(error)) form.setErrors({ ...form.errors, ...serverErrors(error.fieldErrors) });
    notifyError(error, 'Could not save the segment');
  };

  const onSaved = (stored: Segment, created: boolean) => {
    setConflict(null);
    saved.current = true;
    notifySuccess(created ? `Segment ${stored.name} created` : `Segment ${stored.name} saved`);
    navigate(`/segments/${stored.id}`);
  };

  const put = (body: SegmentCreate, atVersion: number) => {
    if (!segment) return;
    update.mutate(
      { id: segment.id, body: { ...body, version: atVersion } },
      { onSuccess: (saved) => onSaved(saved, false), onError: (error) => onSaveError(error, body) },
    );
  };

  const submit = (values: SegmentFormValues) => {
    const body = toBody(values);
    if (segment) put(body, version);
    else
      create.mutate(body, {
        onSuccess: (saved) => onSaved(saved, true),
        onError: (e) => onSaveError(e, body),
      });
  };

  const reload = () => {
    if (!conflict) return;
    const { current } = conflict;
    queryClient.setQueryData(queryKeys.segments.detail(current.id), current);
    form.setValues(formValues(current));
    form.resetDirty(formValues(current));
    form.clearErrors();
    setVersion(current.version);
    setConflict(null);
    notifySuccess('Showing the latest version');
  };

  const overwrite = () => {
    if (!conflict) return;
    setVersion(conflict.current.version);
    put(conflict.body, conflict.current.version);
  };

  const criteriaError = form.errors.criteria;

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate aria-label={segment ? 'Edit segment' : 'New segment'}>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 9 }}>
          <Stack gap="md">
            <Card withBorder padding="lg">
              <Title order={2} size="h4" mb="md">
                Details
              </Title>
              <Stack gap="sm">
                <TextInput
                  label="Name"
                  required
                  maxLength={100}
                  autoComplete="off"
                  data-autofocus
                  {...form.getInputProps('name')}
                />
                <Textarea
                  label="Description"
                  rows={3}
                  resize="vertical"
                  {...form.getInputProps('description')}
                />
                <Switch
                  label="Automatic membership"
                  description={
                    form.values.auto_update
                      ? 'Members follow the criteria as customer data changes.'
                      : 'Members are added by hand; criteria are kept for reference.'
                  }
                  {...form.getInputProps('auto_update', { type: 'checkbox' })}
                />
              </Stack>
            </Card>
            <Card withBorder padding="lg">
              <Title order={2} size="h4" mb="xs">
                Criteria
              </Title>
              {!form.values.auto_update ? (
                <Text size="sm" c="dimmed" mb="sm">
                  Optional for a manual segment: the count shows who would match.
                </Text>
              ) : null}
              <CriteriaBuilder
                value={form.values.criteria}
                onChange={(criteria) => {
                  form.setFieldValue('criteria', criteria);
                  if (form.errors.criteria) form.clearFieldError('criteria');
                }}
              />
              {criteriaError ? (
                <Input.Error mt="sm" role="alert">
                  {criteriaError}
                </Input.Error>
              ) : null}
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 3 }}>
          <div style={{ position: 'sticky', top: 'calc(var(--app-shell-header-height, 0px) + 16px)' }}>
            <CriteriaPreview criteria={form.values.criteria} />
          </div>
        </Grid.Col>
      </Grid>
      <Divider my="md" />
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={() => navigate(segment ? `/segments/${segment.id}` : '/segments')}>
          Cancel
        </Button>
        <Button type="submit" loading={saving}>
          {segment ? 'Save segment' : 'Create segment'}
        </Button>
      </Group>
      <LeaveUnsavedModal
        what="segment"
        opened={blocker.state === 'blocked'}
        onStay={() => blocker.reset?.()}
        onLeave={() => blocker.proceed?.()}
      />
      <SegmentEditorConflictModal
        current={conflict?.current ?? null}
        saving={update.isPending}
        onReload={reload}
        onOverwrite={overwrite}
        onClose={() => setConflict(null)}
      />
    </form>
  );
}
