import { z } from 'zod';

/** RFC 9457 problem details, with a field-level `errors` list for bad input. */
export const fieldErrorSchema = z.object({
  field: z.string(),
  message: z.string(),
});
export type FieldError = z.infer<typeof fieldErrorSchema>;

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: z.string(),
  errors: z.array(fieldErrorSchema).optional(),
  current: z.unknown().optional(),
});
export type Problem = z.infer<typeof problemSchema>;
