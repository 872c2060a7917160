import { Alert, Button, Group, Loader, Modal, Progress, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { errorMessage, isApiError } from '../../../lib/api-client.js';
import { formatCount } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { queryKeys } from '../../../lib/query-keys.js';
import { isJobFinished, useJob } from '../../bulk/api/get-job.js';
import { useSegments } from '../../segments/api/get-segments.js';
import { useEmailTemplates } from '../api/get-email-templates.js';
import { useTemplatePreview } from '../api/preview-template.js';
import { useStartCampaign } from '../api/start-campaign.js';
import { RenderedEmailView } from './template-preview.js';

interface Values {
  name: string;
  segment_id: string | null;
  template_id: string | null;
}

type Step = 'pick' | 'confirm' | 'running';

const customers = (n: number) => `${formatCount(n)} ${n === 1 ? 'customer' : 'customers'}`;

/** The chosen template rendered with sample data, so the sender sees what goes out. */
function TemplateSample({ templateId }: { templateId: string | null }) {
  const templates = useEmailTemplates();
  const template = templates.data?.find((t) => t.id === templateId);
  const preview = useTemplatePreview(
    template
      ? { subject: template.subject, body_html: template.body_html, body_text: template.body_text }
      : null,
  );
  if (!template) return null;
  if (preview.isError) {
    return (
      <Alert color="orange" icon={<IconAlertTriangle size={18} />} title="Cannot render this template">
        {errorMessage(preview.error)}
      </Alert>
    );
  }
  if (!preview.data) return <Loader size="sm" aria-label="Rendering the template" />;
  return <RenderedEmailView email={preview.data} label="Template with sample data" />;
}

/** The flow inside the modal: pick segment and template, confirm with the count, follow the job. */
function NewCampaignFlow({ onClose, onBusy }: { onClose: () => void; onBusy: (busy: boolean) => void }) {
  const queryClient = useQueryClient();
  const segments = useSegments();
  const templates = useEmailTemplates();
  const start = useStartCampaign();
  const [step, setStep] = useState<Step>('pick');
  const [failure, setFailure] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string>();
  const [outbox, setOutbox] = useState(false);
  const job = useJob(jobId);
  const form = useForm<Values>({
    initialValues: { name: '', segment_id: null, template_id: null },
    validate: {
      segment_id: (v) => (v ? null : 'Choose a segment'),
      template_id: (v) => (v ? null : 'Choose a template'),
      name: (v) => (v.trim().length > 200 ? 'Name must be at most 200 characters' : null),
    },
  });
  const segment = segments.data?.find((s) => s.id === form.values.segment_id);
  const template = templates.data?.find((t) => t.id === form.values.template_id);
  const campaignName = form.values.name.trim() || template?.name || 'Campaign';

  const done = useRef(false);
  const finish = (result: unknown) => {
    if (done.current) return;
    done.current = true;
    onBusy(false);
    void queryClient.invalidateQueries({ queryKey: queryKeys.communications.all });
    const counts = (result ?? {}) as { sent?: number; skipped?: number };
    const detail =
      typeof counts.sent === 'number'
        ? `: ${formatCount(counts.sent)} sent${counts.skipped ? `, ${formatCount(counts.skipped)} skipped` : ''}`
        : '';
    notifySuccess(
      `Campaign ${campaignName} sent${detail}${outbox ? ' (to the outbox folder: no SMTP server is set up)' : ''}`,
    );
    onClose();
  };
  const fail = (message: string) => {
    onBusy(false);
    setFailure(message);
    setStep('confirm');
  };
  const handlers = useRef({ finish, fail });
  handlers.current = { finish, fail };
  const jobData = job.data;
  useEffect(() => {
    if (!jobData || !isJobFinished(jobData)) return;
    if (jobData.status === 'succeeded') handlers.current.finish(jobData.result);
    else handlers.current.fail(jobData.error ?? 'The campaign failed.');
  }, [jobData]);
  useEffect(() => {
    if (job.isError && jobId) handlers.current.fail(errorMessage(job.error));
  }, [job.isError, job.error, jobId]);

  const send = () => {
    const { segment_id, template_id, name } = form.getValues();
    if (!segment_id || !template_id) return;
    setFailure(null);
    setStep('running');
    onBusy(true);
    start.mutate(
      { segment_id, template_id, ...(name.trim() ? { campaign_name: name.trim() } : {}) },
      {
        onSuccess: (reply) => {
          setOutbox(reply.outbox);
          setJobId(reply.job_id);
        },
        onError: (error) => {
          onBusy(false);
          if (isApiError(error) && Object.keys(error.fieldErrors).length > 0) {
            const { campaign_name, ...rest } = error.fieldErrors;
            form.setErrors(campaign_name ? { ...rest, name: campaign_name } : rest);
            setStep('pick');
            notifyError(error, 'Could not start the campaign');
            return;
          }
          fail(errorMessage(error));
        },
      },
    );
  };

  if (step === 'running') {
    const progress = jobData?.progress;
    const total = progress?.total ?? null;
    return (
      <Stack gap="sm" aria-live="polite">
        {jobId ? (
          <>
            <Text size="sm">
              {total
                ? `${formatCount(progress?.done ?? 0)} of ${customers(total)} done`
                : jobData?.status === 'running'
                  ? 'Sending…'
                  : 'Waiting to start…'}
            </Text>
            <Progress
              value={total ? Math.min(100, ((progress?.done ?? 0) / total) * 100) : 100}
              animated={!total}
              striped={!total}
              aria-label="Campaign progress"
              size="lg"
            />
            <Text size="xs" c="dimmed">
              This runs on the server: it finishes even if you close this window.
            </Text>
          </>
        ) : (
          <Group gap="sm">
            <Loader size="sm" />
            <Text size="sm">Starting the campaign…</Text>
          </Group>
        )}
      </Stack>
    );
  }

  if (step === 'confirm') {
    return (
      <Stack gap="md">
        <Text>
          Send “{template?.name}” to about {customers(segment?.customer_count ?? 0)} of {segment?.name}?
        </Text>
        <Text size="sm" c="dimmed">
          Customers who unsubscribed, asked not to be contacted, or have no email address are skipped.
          {template?.category === 'marketing' ? ' This is marketing email: it needs marketing consent.' : ''}
        </Text>
        {failure ? (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} title="The campaign failed" role="alert">
            {failure}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setStep('pick')}>
            Back
          </Button>
          <Button onClick={send} data-autofocus>
            Send campaign
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <form noValidate onSubmit={form.onSubmit(() => setStep('confirm'))}>
      <Stack gap="sm">
        <TextInput
          label="Name"
          description={`Optional; by default the template's name and today's date`}
          maxLength={200}
          autoComplete="off"
          data-autofocus
          {...form.getInputProps('name')}
        />
        <Select
          label="Segment"
          placeholder={segments.isPending ? 'Loading segments…' : 'Choose a segment'}
          required
          searchable
          data={(segments.data ?? []).map((s) => ({
            value: s.id,
            // a segment still being built has no final size yet
            label: `${s.name} (${s.building ? 'counting…' : customers(s.customer_count)})`,
          }))}
          nothingFoundMessage="No segment matches"
          comboboxProps={{ withinPortal: true }}
          {...form.getInputProps('segment_id')}
        />
        <Select
          label="Template"
          placeholder={templates.isPending ? 'Loading templates…' : 'Choose a template'}
          required
          searchable
          data={(templates.data ?? []).map((t) => ({ value: t.id, label: `${t.name} v${t.version}` }))}
          nothingFoundMessage="No template matches"
          comboboxProps={{ withinPortal: true }}
          {...form.getInputProps('template_id')}
        />
        <TemplateSample templateId={form.values.template_id} />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit">Continue</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Starts a campaign: a template to a segment, sent in the background. */
export function NewCampaignModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  return (
    <Modal opened={opened} onClose={onClose} title="New campaign" size="lg" closeOnClickOutside={!busy}>
      {/* a fresh flow (and form) each time it opens */}
      {opened ? <NewCampaignFlow onClose={onClose} onBusy={setBusy} /> : null}
    </Modal>
  );
}
