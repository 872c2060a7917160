import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { importFields, importModes, importReportSchema } from '../../../shared/customers.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, badInput } from '../../platform/errors.js';
import {
  importCustomers,
  importMappingSchema,
  parseCsv,
  suggestMapping,
} from './customers-import.service.js';

const tags = ['customers'];

/** Reads a multipart form: the `file` part buffered (size-limited), other parts as text fields. */
async function readForm(request: FastifyRequest): Promise<{ file: Buffer; fields: Record<string, string> }> {
  if (!request.isMultipart())
    throw new AppError('unsupported_media_type', 'Send multipart/form-data with a `file` part');
  let file: Buffer | undefined;
  const fields: Record<string, string> = {};
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file')
        throw badInput(part.fieldname, 'Only one file part, named `file`, is accepted');
      file = await (part as MultipartFile).toBuffer();
    } else {
      fields[part.fieldname] = String(part.value);
    }
  }
  if (!file || file.length === 0) throw badInput('file', 'Attach a CSV file');
  return { file, fields };
}

export function customerImportRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/crm/customers/import/preview',
    {
      config: { access: 'customers:import' },
      schema: {
        tags,
        summary: 'Read a CSV’s headers and first rows and suggest a column mapping',
        consumes: ['multipart/form-data'],
        response: {
          200: z.object({
            headers: z.array(z.string()),
            sample: z.array(z.array(z.string())),
            suggested_mapping: z.record(z.string(), z.enum(importFields).nullable()),
            total_rows: z.number().int(),
          }),
        },
      },
    },
    async (request) => {
      const { file } = await readForm(request);
      const { headers, rows } = parseCsv(file);
      return {
        headers,
        sample: rows.slice(0, 5),
        suggested_mapping: suggestMapping(headers),
        total_rows: rows.length,
      };
    },
  );

  r.post(
    '/api/crm/customers/import',
    {
      config: { access: 'customers:import' },
      schema: {
        tags,
        summary: 'Import customers from CSV (multipart: file, mapping JSON, mode update|skip)',
        consumes: ['multipart/form-data'],
        response: { 200: importReportSchema },
      },
    },
    async (request) => {
      const { file, fields } = await readForm(request);
      const mode = z.enum(importModes).safeParse(fields.mode ?? 'skip');
      if (!mode.success) throw badInput('mode', 'Use "update" or "skip"');
      let mapping: z.infer<typeof importMappingSchema>;
      if (fields.mapping) {
        let json: unknown;
        try {
          json = JSON.parse(fields.mapping);
        } catch {
          throw badInput('mapping', 'Not valid JSON');
        }
        const parsed = importMappingSchema.safeParse(json);
        if (!parsed.success)
          throw badInput('mapping', parsed.error.issues[0]?.message ?? 'Not a valid mapping');
        mapping = parsed.data;
      } else {
        mapping = suggestMapping(parseCsv(file).headers);
      }
      return importCustomers(deps, principalOf(request), file, mapping, mode.data);
    },
  );
}
