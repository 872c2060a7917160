import { z } from 'zod';

export const noteTypes = ['general', 'support', 'sales', 'billing'] as const;
export type NoteType = (typeof noteTypes)[number];

export const NOTE_MAX_LENGTH = 20_000;

/** Markdown source, stored as written (trimmed); the web app renders it without raw HTML. */
export const noteContentSchema = z
  .string()
  .trim()
  .min(1, 'Write something first')
  .max(NOTE_MAX_LENGTH, `A note may have at most ${NOTE_MAX_LENGTH} characters`);

const noteTypeSchema = z.enum(noteTypes, `Use one of: ${noteTypes.join(', ')}`);

/** POST /api/crm/customers/:id/notes. */
export const noteCreateSchema = z.object({
  content: noteContentSchema,
  note_type: noteTypeSchema.default('general'),
  pinned: z.boolean().default(false),
});
export type NoteCreate = z.input<typeof noteCreateSchema>;

/**
 * PUT /api/crm/notes/:id: the fields to change (pinning alone is an edit too), with the version
 * the note was read at (a stale one gets 409 with the current note).
 */
export const noteUpdateSchema = z.object({
  content: noteContentSchema.optional(),
  note_type: noteTypeSchema.optional(),
  pinned: z.boolean().optional(),
  version: z.number().int().positive(),
});
export type NoteUpdate = z.input<typeof noteUpdateSchema>;

export const staffRefSchema = z.object({ id: z.string(), name: z.string().nullable() });
export type StaffRef = z.infer<typeof staffRefSchema>;

export const noteSchema = z.object({
  id: z.string(),
  customer_id: z.string(),
  content: z.string(),
  note_type: z.enum(noteTypes),
  pinned: z.boolean(),
  /** Who wrote it (null once that staff user is deleted). */
  author: staffRefSchema.nullable(),
  /**
   * Who changed its text or type last (the author until someone edits); `updated_at` is when.
   * Pinning changes `version` only.
   */
  updated_by: staffRefSchema.nullable(),
  version: z.number().int(),
  /** Its text or type was changed after it was written (see its revisions). */
  edited: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Note = z.infer<typeof noteSchema>;

/** GET /api/crm/customers/:id/notes: pinned first, then newest first; keyset paging. */
export const noteListQuerySchema = z.object({
  note_type: z.enum(noteTypes).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type NoteListQuery = z.infer<typeof noteListQuerySchema>;

export const noteListSchema = z.object({
  data: z.array(noteSchema),
  next_cursor: z.string().nullable(),
});
export type NoteList = z.infer<typeof noteListSchema>;

/** An earlier text of a note: `version` as it was, written by `edited_by` at `edited_at`. */
export const noteRevisionSchema = z.object({
  version: z.number().int(),
  content: z.string(),
  note_type: z.enum(noteTypes),
  edited_by: staffRefSchema.nullable(),
  edited_at: z.string(),
});
export type NoteRevision = z.infer<typeof noteRevisionSchema>;

/** GET /api/crm/notes/:id/revisions: earlier versions, newest first (the note itself is the latest). */
export const noteRevisionListSchema = z.object({ data: z.array(noteRevisionSchema) });
export type NoteRevisionList = z.infer<typeof noteRevisionListSchema>;
