import { Alert, Button, Group, Loader, Modal, Progress, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { BulkActionType, BulkResult } from '../../../../shared/bulk.js';
import { errorMessage } from '../../../lib/api-client.js';
import { formatCount } from '../../../lib/format.js';
import { notifySuccess } from '../../../lib/notify.js';
import { useStaffDirectory } from '../../staff/api/get-staff-directory.js';
import { useTags } from '../../tags/api/get-tags.js';
import { isJobFinished, useJob } from '../api/get-job.js';
import { useManualSegments } from '../api/get-manual-segments.js';
import { invalidateAfterBulk, useRunBulkAction } from '../api/run-bulk-action.js';
import { actionTitles, type BulkTarget, customersLabel } from './bulk-target.js';
import {
  BulkActionFields,
  type BulkActionDraft,
  describeAction,
  emptyDraft,
  newTagNames,
  toBulkAction,
} from './bulk-action-fields.js';

interface BulkActionModalProps {
  /** The action being set up; null closes the modal. */
  type: BulkActionType | null;
  target: BulkTarget;
  canCreateTags: boolean;
  onClose: () => void;
  /** The action finished: the caller clears its selection. */
  onDone: (result: Pick<BulkResult, 'selected' | 'changed'>) => void;
}

/** Picks what to apply, asks to confirm with the number of customers, runs it and follows its job. */
export function BulkActionModal({ type, target, canCreateTags, onClose, onDone }: BulkActionModalProps) {
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      opened={type !== null}
      onClose={onClose}
      title={type ? actionTitles[type] : ''}
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      withCloseButton={!busy}
    >
      {type ? (
        <BulkActionFlow
          key={type}
          type={type}
          target={target}
          canCreateTags={canCreateTags}
          onBusy={setBusy}
          onClose={onClose}
          onDone={onDone}
        />
      ) : null}
    </Modal>
  );
}

type Step = 'pick' | 'confirm' | 'running';

function BulkActionFlow({
  type,
  target,
  canCreateTags,
  onBusy,
  onClose,
  onDone,
}: Omit<BulkActionModalProps, 'type'> & { type: BulkActionType; onBusy: (busy: boolean) => void }) {
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>('pick');
  const [draft, setDraft] = useState<BulkActionDraft>(emptyDraft);
  const [failure, setFailure] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string>();
  const run = useRunBulkAction();
  const job = useJob(jobId);
  const tags = useTags(type === 'add_tags' || type === 'remove_tags');
  const segments = useManualSegments(type === 'add_to_segment' || type === 'remove_from_segment');
  const staff = useStaffDirectory(type === 'set_owner');

  const action = toBulkAction(type, draft, tags.data ?? []);
  const who = customersLabel(target.count, target.countIsFloor);
  const creating = type === 'add_tags' ? newTagNames(draft, tags.data ?? []) : [];
  const owner = staff.data?.find((s) => s.id === draft.ownerId);
  const question = describeAction(type, draft, who, {
    segment: segments.data?.find((s) => s.id === draft.segmentId)?.name,
    owner: owner ? (owner.name ?? owner.email) : undefined,
  });

  const finished = useRef(false);
  const finish = (result: Pick<BulkResult, 'selected' | 'changed'>) => {
    if (finished.current) return;
    finished.current = true;
    onBusy(false);
    invalidateAfterBulk(queryClient);
    const unchanged = result.selected - result.changed;
    notifySuccess(
      `${customersLabel(result.changed)} changed${unchanged > 0 ? `; ${formatCount(unchanged)} already up to date` : ''}`,
      actionTitles[type],
    );
    onDone(result);
  };
  const fail = (message: string) => {
    onBusy(false);
    setFailure(message);
    setStep('confirm');
  };

  // A large selection runs as a job: follow it until it ends.
  const jobData = job.data;
  const finishRef = useRef({ finish, fail });
  finishRef.current = { finish, fail };
  useEffect(() => {
    if (!jobData || !isJobFinished(jobData)) return;
    if (jobData.status === 'succeeded') {
      const result = (jobData.result ?? {}) as Partial<BulkResult>;
      finishRef.current.finish({ selected: result.selected ?? 0, changed: result.changed ?? 0 });
    } else {
      finishRef.current.fail(jobData.error ?? 'The bulk action failed.');
    }
  }, [jobData]);
  useEffect(() => {
    if (job.isError && jobId) finishRef.current.fail(errorMessage(job.error));
  }, [job.isError, job.error, jobId]);

  const apply = () => {
    if (!action) return;
    setFailure(null);
    setStep('running');
    onBusy(true);
    run.mutate(
      { selection: target.selection, action },
      {
        onSuccess: (reply) => {
          if ('job_id' in reply) setJobId(reply.job_id);
          else finish(reply);
        },
        onError: (error) => fail(errorMessage(error)),
      },
    );
  };

  if (step === 'running') {
    const progress = jobData?.progress;
    const total = progress?.total ?? null;
    const percent = total ? Math.min(100, (progress!.done / total) * 100) : 0;
    return (
      <Stack gap="sm" aria-live="polite">
        {jobId ? (
          <>
            <Text size="sm">
              {total
                ? `${formatCount(progress!.done)} of ${customersLabel(total)} done`
                : jobData?.status === 'running'
                  ? 'Working…'
                  : 'Waiting to start…'}
            </Text>
            <Progress
              value={total ? percent : 100}
              animated={!total}
              striped={!total}
              aria-label={`${actionTitles[type]} progress`}
              size="lg"
            />
            <Text size="xs" c="dimmed">
              This runs on the server: it finishes even if you leave this page.
            </Text>
          </>
        ) : (
          <Group gap="sm">
            <Loader size="sm" />
            <Text size="sm">Applying to {who}…</Text>
          </Group>
        )}
      </Stack>
    );
  }

  if (step === 'confirm') {
    return (
      <Stack gap="md">
        <Text>{question}</Text>
        {creating.length > 0 ? (
          <Text size="sm" c="dimmed">
            New {creating.length === 1 ? 'tag' : 'tags'} {creating.map((n) => `“${n}”`).join(', ')} will be
            created.
          </Text>
        ) : null}
        {target.countIsFloor ? (
          <Text size="sm" c="dimmed">
            The server counts every match when it applies the action.
          </Text>
        ) : null}
        {failure ? (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} title="The action failed">
            {failure}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setStep('pick')}>
            Back
          </Button>
          <Button onClick={apply} data-autofocus>
            Apply to {who}
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (action) setStep('confirm');
      }}
    >
      <Stack gap="md">
        <BulkActionFields type={type} draft={draft} onChange={setDraft} canCreateTags={canCreateTags} />
        <Text size="sm" c="dimmed">
          Applies to {who}.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={!action}>
            Continue
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
