import { z } from 'zod';
import { staffRoles } from './enums.js';
import { permissions } from './permissions.js';

export const loginBodySchema = z.object({
  email: z.email().max(320),
  password: z.string().min(1, 'Enter your password').max(1024),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const meSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(staffRoles),
  permissions: z.array(z.enum(permissions)),
  auth: z.enum(['session', 'api_token', 'supabase_jwt']),
});
export type Me = z.infer<typeof meSchema>;

export const staffUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(staffRoles),
  disabled: z.boolean(),
  created_at: z.string(),
  last_sign_in_at: z.string().nullable(),
});
export type StaffUser = z.infer<typeof staffUserSchema>;

export const staffUserCreateSchema = z.object({
  email: z.email().max(320),
  password: z.string().min(10, 'Password must be at least 10 characters').max(1024),
  role: z.enum(staffRoles),
  name: z.string().trim().min(1).max(200).optional(),
});
export type StaffUserCreate = z.infer<typeof staffUserCreateSchema>;

export const staffUserPatchSchema = z
  .object({
    role: z.enum(staffRoles).optional(),
    disabled: z.boolean().optional(),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to change' });
export type StaffUserPatch = z.infer<typeof staffUserPatchSchema>;

export const apiTokenCreateSchema = z.object({
  name: z.string().trim().min(1).max(100),
  expires_in_days: z.number().int().min(1).max(3650).optional(),
});
export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;
/** Returned once, on creation: the secret is never shown again. */
export const apiTokenCreatedSchema = apiTokenSchema.extend({ token: z.string() });

/** GET /api/users/directory: who can own customers or be assigned work. */
export const staffDirectoryEntrySchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string(),
  role: z.enum(staffRoles),
});
export type StaffDirectoryEntry = z.infer<typeof staffDirectoryEntrySchema>;

/** POST /api/auth/password: the signed-in user changes their own password. */
export const passwordChangeSchema = z.object({
  current_password: z.string().min(1, 'Enter your current password').max(1024),
  new_password: z.string().min(10, 'Password must be at least 10 characters').max(1024),
});
export type PasswordChange = z.infer<typeof passwordChangeSchema>;
