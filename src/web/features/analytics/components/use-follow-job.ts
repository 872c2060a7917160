import { useEffect, useRef, useState } from 'react';
import type { Job } from '../../../../shared/jobs.js';
import { errorMessage } from '../../../lib/api-client.js';
import { isJobFinished, useJob } from '../../bulk/api/get-job.js';

/**
 * Follows a background job the user started until it ends, then calls `onSucceeded` or `onFailed`
 * once. `follow(id)` starts following; `job` is the latest state (for a progress bar).
 */
export function useFollowJob({
  onSucceeded,
  onFailed,
}: {
  onSucceeded: (job: Job) => void;
  onFailed: (message: string) => void;
}) {
  const [jobId, setJobId] = useState<string>();
  const query = useJob(jobId);
  const handlers = useRef({ onSucceeded, onFailed });
  handlers.current = { onSucceeded, onFailed };
  const ended = useRef<string | null>(null);

  const job = query.data?.id === jobId ? query.data : undefined;
  useEffect(() => {
    if (!jobId || !job || !isJobFinished(job) || ended.current === jobId) return;
    ended.current = jobId;
    if (job.status === 'succeeded') handlers.current.onSucceeded(job);
    else handlers.current.onFailed(job.error ?? 'The job failed.');
    setJobId(undefined);
  }, [job, jobId]);
  useEffect(() => {
    if (!jobId || !query.isError || ended.current === jobId) return;
    ended.current = jobId;
    handlers.current.onFailed(errorMessage(query.error));
    setJobId(undefined);
  }, [query.isError, query.error, jobId]);

  return { follow: setJobId, following: jobId !== undefined, job };
}
