import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { FieldError, Problem } from '../../shared/problem.js';

export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'gone'
  | 'conflict'
  | 'version_conflict'
  | 'duplicate'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal';

/** The one application error: a code, a human message, and optional field errors or current state. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { errors?: FieldError[]; current?: unknown } = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const badInput = (field: string, message: string) =>
  new AppError('validation_failed', `${field}: ${message}`, { errors: [{ field, message }] });

function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'validation_failed':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'gone':
      return 410;
    case 'conflict':
    case 'version_conflict':
    case 'duplicate':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'rate_limited':
      return 429;
    case 'internal':
      return 500;
  }
}

const titles: Record<ErrorCode, string> = {
  validation_failed: 'Your request is not valid',
  unauthenticated: 'Sign in required',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  gone: 'No longer available',
  conflict: 'Conflict',
  version_conflict: 'Changed by someone else',
  duplicate: 'Already exists',
  rate_limited: 'Too many requests',
  payload_too_large: 'Request too large',
  unsupported_media_type: 'Unsupported media type',
  internal: 'Internal server error',
};

export function problem(code: ErrorCode, detail?: string, extra: AppError['extra'] = {}): Problem {
  return {
    type: `https://crm.example/problems/${code.replaceAll('_', '-')}`,
    title: titles[code],
    status: statusOf(code),
    code,
    ...(detail ? { detail } : {}),
    ...(extra.errors ? { errors: extra.errors } : {}),
    ...(extra.current !== undefined ? { current: extra.current } : {}),
  };
}

/** zod paths like ['items', 0, 'sku'] become "items[0].sku"; the request part is the prefix. */
export function fieldPath(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || prefix;
}

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation_failed',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_PARTS_LIMIT: 'payload_too_large',
};

/** One error handler: every failure leaves as application/problem+json; 5xx details stay in the log. */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    let body: Problem;
    if (error instanceof AppError) {
      body = problem(error.code, error.message, error.extra);
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      const prefix = error.validationContext ?? 'body';
      const errors = error.validation.map((v) => {
        const path = v.instancePath
          .split('/')
          .filter(Boolean)
          .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
        return { field: fieldPath(prefix, path), message: v.message ?? 'Invalid value' };
      });
      body = problem('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
        errors,
      });
    } else if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
      body = problem('internal');
    } else if ('code' in error && typeof error.code === 'string' && fastifyCodes[error.code]) {
      const code = fastifyCodes[error.code]!;
      body = problem(
        code,
        error.message,
        code === 'validation_failed' ? { errors: [{ field: 'body', message: error.message }] } : {},
      );
    } else if ('statusCode' in error && error.statusCode === 429) {
      body = problem('rate_limited', error.message);
    } else if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode < 500) {
      body = problem('validation_failed', error.message, {
        errors: [{ field: 'request', message: error.message }],
      });
      body.status = error.statusCode;
    } else {
      request.log.error({ err: error }, 'unhandled error');
      body = problem('internal');
    }
    void reply.code(body.status).type('application/problem+json').send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .type('application/problem+json')
      .send(problem('not_found', `No route for ${request.method} ${request.url.split('?')[0]}`));
  });
}
