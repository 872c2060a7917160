import { z } from 'zod';

/** The colour a tag gets when none is given (Mantine gray 6). */
export const DEFAULT_TAG_COLOR = '#868e96';

export const tagNameSchema = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(50, 'Name must be at most 50 characters');

/** `#rrggbb`, stored lower case. */
export const tagColorSchema = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'Use a hex colour such as #228be6')
  .transform((c) => c.toLowerCase());

const descriptionSchema = z
  .string()
  .trim()
  .max(500, 'Description must be at most 500 characters')
  .nullish()
  .transform((d) => (d ? d : null));

/** GET /api/crm/tags rows: a tag with how many customers carry it. */
export const tagSchema = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string(),
  description: z.string().nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  customer_count: z.number().int(),
});
export type Tag = z.infer<typeof tagSchema>;

export const tagListSchema = z.object({ data: z.array(tagSchema) });
export type TagList = z.infer<typeof tagListSchema>;

/** POST /api/crm/tags. */
export const tagCreateSchema = z.object({
  name: tagNameSchema,
  color: tagColorSchema.optional(),
  description: descriptionSchema.optional(),
});
export type TagCreate = z.input<typeof tagCreateSchema>;

/** PUT /api/crm/tags/:id: only the fields given change. */
export const tagUpdateSchema = z.object({
  name: tagNameSchema.optional(),
  color: tagColorSchema.optional(),
  description: descriptionSchema.optional(),
});
export type TagUpdate = z.input<typeof tagUpdateSchema>;

/** A tag as a customer carries it (the profile's `tags`). */
export const customerTagSchema = z.object({ id: z.string(), name: z.string(), color: z.string() });
export type CustomerTag = z.infer<typeof customerTagSchema>;

/**
 * POST /api/crm/customers/:id/tags: existing tags by id, or by name (case-insensitive); with
 * `create_missing` unknown names become new tags (needs `tags:manage`).
 */
export const customerTagsBodySchema = z
  .object({
    tag_ids: z.array(z.uuid('Tag ids are UUIDs')).max(100).optional(),
    names: z.array(tagNameSchema).max(100).optional(),
    create_missing: z.boolean().default(false),
  })
  .refine((b) => (b.tag_ids?.length ?? 0) + (b.names?.length ?? 0) > 0, {
    message: 'Give tag_ids or names',
    path: ['tag_ids'],
  });
export type CustomerTagsBody = z.input<typeof customerTagsBodySchema>;

/** The customer's tags after a change, by name. */
export const customerTagsSchema = z.object({ data: z.array(customerTagSchema) });
export type CustomerTags = z.infer<typeof customerTagsSchema>;
