import Fastify, { type FastifyInstance } from 'fastify';
import { type ZodTypeProvider, serializerCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { problemSchema } from '../../shared/problem.js';
import { type TestApp, createTestApp } from '../../../tests/helpers/test-app.js';
import { AppError, type ErrorCode, badInput, notFound, problem, registerErrorHandler } from './errors.js';
import { requestValidatorCompiler } from './validation.js';

const statuses: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  gone: 410,
  conflict: 409,
  version_conflict: 409,
  duplicate: 409,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
};

describe('problem()', () => {
  it.each(Object.entries(statuses) as [ErrorCode, number][])(
    '%s is an RFC 9457 problem with status %i',
    (code, status) => {
      const body = problem(code, 'Something specific');
      expect(problemSchema.parse(body)).toEqual(body);
      expect(body).toEqual({
        type: `https://crm.example/problems/${code.replaceAll('_', '-')}`,
        title: expect.any(String),
        status,
        code,
        detail: 'Something specific',
      });
      expect(body.title.length).toBeGreaterThan(3);
    },
  );

  it('carries field errors and the current record only when given', () => {
    expect(problem('not_found')).not.toHaveProperty('detail');
    expect(problem('not_found')).not.toHaveProperty('errors');
    expect(problem('not_found')).not.toHaveProperty('current');
    const body = problem('version_conflict', 'stale', {
      errors: [{ field: 'version', message: 'Expected 3' }],
      current: { version: 3 },
    });
    expect(body).toMatchObject({ errors: [{ field: 'version' }], current: { version: 3 } });
    // a falsy current record still travels
    expect(problem('conflict', 'x', { current: null })).toHaveProperty('current', null);
  });

  it('notFound and badInput build the usual errors', () => {
    expect(notFound('Customer')).toMatchObject({ code: 'not_found', message: 'Customer not found' });
    expect(badInput('email', 'is taken')).toMatchObject({
      code: 'validation_failed',
      message: 'email: is taken',
      extra: { errors: [{ field: 'email', message: 'is taken' }] },
    });
  });
});

describe('the error handler', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify({ logger: false, bodyLimit: 1024 });
    app.setValidatorCompiler(requestValidatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandler(app);
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/echo/:n',
      {
        schema: {
          params: z.object({ n: z.coerce.number().int() }),
          querystring: z.object({ flag: z.enum(['on', 'off']).optional() }),
          body: z.object({ items: z.array(z.object({ sku: z.string().min(1) })) }),
        },
      },
      async (request) => ({ n: request.params.n }),
    );
    r.post(
      '/optional',
      { schema: { body: z.object({ limit: z.number().int().default(10) }) } },
      async (request) => request.body,
    );
    r.get('/app-error', async () => {
      throw new AppError('version_conflict', 'Changed', { current: { version: 2 } });
    });
    r.get('/crash', async () => {
      throw new Error('secret database password in this message');
    });
    r.get('/teapot', async () => {
      throw Object.assign(new Error('I am a teapot'), { statusCode: 418 });
    });
    r.get('/slow-down', async () => {
      throw Object.assign(new Error('Rate limit exceeded'), { statusCode: 429 });
    });
    r.get(
      '/bad-reply',
      { schema: { response: { 200: z.object({ ok: z.boolean() }) } } },
      // biome-ignore lint/suspicious/noExplicitAny: a deliberately wrong reply
      async () => ({ ok: 'yes' }) as any,
    );
    await app.ready();
  });
  afterAll(() => app.close());

  const json = { 'content-type': 'application/json' };

  it('names each invalid field by its path, body fields plain and array items indexed', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/echo/1',
      headers: json,
      payload: { items: [{ sku: '' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'items[0].sku' }] });
  });

  it('names params and query fields too', async () => {
    const params = await app.inject({
      method: 'POST',
      url: '/echo/abc',
      headers: json,
      payload: { items: [] },
    });
    expect(params.json()).toMatchObject({ status: 400, errors: [{ field: 'n' }] });
    const query = await app.inject({
      method: 'POST',
      url: '/echo/1?flag=maybe',
      headers: json,
      payload: { items: [] },
    });
    expect(query.json()).toMatchObject({ status: 400, errors: [{ field: 'flag' }] });
  });

  it('a body that is not an object is named `body`', async () => {
    const res = await app.inject({ method: 'POST', url: '/echo/1', headers: json, payload: '[1,2]' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ errors: [{ field: 'body' }] });
  });

  it('no body at all is an empty object: the missing fields are named', async () => {
    const none = await app.inject({ method: 'POST', url: '/echo/1' });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'items' }] });
    const optional = await app.inject({ method: 'POST', url: '/optional' });
    expect(optional.statusCode, optional.body).toBe(200);
    expect(optional.json()).toEqual({ limit: 10 });
  });

  it('invalid and empty JSON bodies are 400s naming the body', async () => {
    const invalid = await app.inject({
      method: 'POST',
      url: '/echo/1',
      headers: json,
      payload: '{"items": [',
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'body' }] });
    const empty = await app.inject({ method: 'POST', url: '/echo/1', headers: json, payload: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'body' }] });
  });

  it('too large is 413, an unknown content type 415', async () => {
    const big = await app.inject({
      method: 'POST',
      url: '/echo/1',
      headers: json,
      payload: JSON.stringify({ items: [{ sku: 'x'.repeat(2000) }] }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'payload_too_large', status: 413 });
    const xml = await app.inject({
      method: 'POST',
      url: '/echo/1',
      headers: { 'content-type': 'application/xml' },
      payload: '<items/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('AppErrors keep their code, message and extra', async () => {
    const res = await app.inject({ method: 'GET', url: '/app-error' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'version_conflict',
      detail: 'Changed',
      current: { version: 2 },
    });
  });

  it('unexpected errors are a bare 500 that hides the details', async () => {
    const res = await app.inject({ method: 'GET', url: '/crash' });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toEqual(problem('internal'));
    expect(res.body).not.toContain('secret');
  });

  it('a reply that breaks its own schema is a 500, not a malformed 200', async () => {
    const res = await app.inject({ method: 'GET', url: '/bad-reply' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual(problem('internal'));
  });

  it('other 4xx errors keep their status; 429 is rate_limited', async () => {
    const teapot = await app.inject({ method: 'GET', url: '/teapot' });
    expect(teapot.statusCode).toBe(418);
    expect(teapot.json()).toMatchObject({
      status: 418,
      errors: [{ field: 'request', message: 'I am a teapot' }],
    });
    const limited = await app.inject({ method: 'GET', url: '/slow-down' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'rate_limited' });
  });

  it('unknown routes are 404 problems naming the path without its query', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/nowhere?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'not_found', detail: 'No route for DELETE /nowhere' });
  });
});

describe('the whole app answers problems', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('an unknown API route is a 404 problem', async () => {
    const admin = await t.staff('admin');
    const res = await t.request({ method: 'GET', url: '/api/no/such/thing', as: admin });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('invalid JSON is a 400, never a 500', async () => {
    const admin = await t.staff('admin');
    const res = await t.request({
      method: 'POST',
      url: '/api/crm/customers',
      as: admin,
      headers: { 'content-type': 'application/json' },
      payload: '{"first_name": "Ann",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'body' }] });
  });

  it('a body over 5 MiB is a 413', async () => {
    const admin = await t.staff('admin');
    const res = await t.request({
      method: 'POST',
      url: '/api/crm/customers',
      as: admin,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ first_name: 'x'.repeat(6 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('health answers 503 when the database is gone', async () => {
    const other = await createTestApp();
    await other.database.close();
    const res = await other.request({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'internal', detail: 'Database not ready' });
    await other.app.close();
  });
});
