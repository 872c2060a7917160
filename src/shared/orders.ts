import { z } from 'zod';
import { orderStatuses } from './enums.js';

export const orderItemInputSchema = z.object({
  sku: z.string().trim().min(1).max(100),
  name: z.string().trim().min(1).max(300).optional(),
  category: z.string().trim().min(1).max(100).optional(),
  quantity: z.number().int().min(1).max(100000),
  unit_price: z.number().min(0).max(100_000_000),
});

export const orderCreateSchema = z
  .object({
    customer_id: z.uuid().optional(),
    customer_email: z.email().max(320).optional(),
    external_id: z.string().trim().min(1).max(200).optional(),
    status: z.enum(orderStatuses).default('paid'),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'Use a three-letter ISO 4217 code such as "USD"')
      .transform((c) => c.toUpperCase())
      .default('USD'),
    placed_at: z.iso.datetime({ offset: true }).optional(),
    items: z.array(orderItemInputSchema).min(1, 'An order needs at least one item').max(1000),
  })
  .refine((o) => o.customer_id !== undefined || o.customer_email !== undefined, {
    message: 'Give customer_id or customer_email',
    path: ['customer_id'],
  });
export type OrderCreate = z.infer<typeof orderCreateSchema>;

export const orderPatchSchema = z.object({
  status: z.enum(orderStatuses),
  version: z.number().int().positive().optional(),
});

export const orderItemSchema = z.object({
  id: z.string(),
  product_id: z.string(),
  sku: z.string(),
  name: z.string(),
  category: z.string().nullable(),
  quantity: z.number().int(),
  unit_price: z.number(),
  line_total: z.number(),
});

export const orderSchema = z.object({
  id: z.string(),
  customer_id: z.string(),
  external_id: z.string().nullable(),
  status: z.enum(orderStatuses),
  currency: z.string(),
  total: z.number(),
  item_count: z.number().int(),
  placed_at: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  items: z.array(orderItemSchema),
});
export type Order = z.infer<typeof orderSchema>;

export const orderListQuerySchema = z.object({
  customer_id: z.uuid().optional(),
  status: z.enum(orderStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export const orderListSchema = z.object({ data: z.array(orderSchema), next_cursor: z.string().nullable() });

export const productSchema = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  category: z.string().nullable(),
  price: z.number(),
  created_at: z.string(),
});
export type Product = z.infer<typeof productSchema>;
export const productCreateSchema = z.object({
  sku: z.string().trim().min(1).max(100),
  name: z.string().trim().min(1).max(300),
  category: z.string().trim().min(1).max(100).optional(),
  price: z.number().min(0).max(100_000_000),
});
export const productListQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export const productListSchema = z.object({
  data: z.array(productSchema),
  next_cursor: z.string().nullable(),
});

/** Most orders one ingest batch may carry. */
export const INGEST_MAX_ORDERS = 10_000;

/**
 * One order from an external order system (POST /api/orders/ingest). Idempotent on
 * `external_id`; the customer is found by `customer_id`, then `user_id`, then `customer_email`
 * (created from the email when nobody has it). `total` defaults to the sum of the lines; give it
 * when the order system's total includes shipping, tax or discounts.
 */
export const orderIngestSchema = z
  .object({
    external_id: z.string().trim().min(1).max(200),
    customer_id: z.uuid().optional(),
    user_id: z.uuid().optional(),
    customer_email: z.email().max(320).optional(),
    first_name: z.string().trim().min(1).max(200).optional(),
    last_name: z.string().trim().min(1).max(200).optional(),
    status: z.enum(orderStatuses).default('paid'),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'Use a three-letter ISO 4217 code such as "USD"')
      .transform((c) => c.toUpperCase())
      .default('USD'),
    placed_at: z.iso.datetime({ offset: true }),
    total: z.number().min(0).max(100_000_000_000).optional(),
    items: z.array(orderItemInputSchema).min(1, 'An order needs at least one item').max(1000),
  })
  .refine((o) => o.customer_id !== undefined || o.user_id !== undefined || o.customer_email !== undefined, {
    message: 'Give customer_id, user_id or customer_email',
    path: ['customer_email'],
  });
export type OrderIngest = z.infer<typeof orderIngestSchema>;

export const ingestOutcomes = ['accepted', 'updated', 'unchanged', 'rejected'] as const;

export const ingestResultSchema = z.object({
  accepted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  /** Customers created for orders from people the CRM had not met. */
  customers_created: z.number().int(),
  /** One entry per order, in the order sent. */
  results: z.array(
    z.object({
      index: z.number().int(),
      external_id: z.string().nullable(),
      outcome: z.enum(ingestOutcomes),
      order_id: z.string().nullable(),
      customer_id: z.string().nullable(),
      errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
  ),
});
export type IngestResult = z.infer<typeof ingestResultSchema>;
