import { z } from 'zod';

export const jobStatuses = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof jobStatuses)[number];

/** GET /api/crm/jobs/:id: a background job as its starter follows it. */
export const jobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(jobStatuses),
  /** Units of work done so far and in all (customers, for bulk actions); null before it starts. */
  progress: z.object({ done: z.number().int(), total: z.number().int().nullable() }),
  /** What the job produced, once it succeeded (its shape depends on `kind`). */
  result: z.unknown().nullable(),
  /** Why it failed, in words a user can act on. */
  error: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
export type Job = z.infer<typeof jobSchema>;

/** The 202 reply of anything that runs in the background. */
export const jobAcceptedSchema = z.object({
  job_id: z.string(),
  status_url: z.string(),
  status: z.enum(jobStatuses),
});
export type JobAccepted = z.infer<typeof jobAcceptedSchema>;
