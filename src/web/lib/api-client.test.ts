import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiRequest, errorMessage, toQueryString } from './api-client.js';

afterEach(() => vi.unstubAllGlobals());

function stubFetch(status: number, body: unknown, contentType = 'application/problem+json') {
  const fetchMock = vi.fn(
    async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': contentType } }),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('api client', () => {
  it('builds query strings without empty values and joins lists with commas', () => {
    expect(toQueryString({ q: 'zoë', status: ['active', 'lead'], empty: '', none: undefined, n: 0 })).toBe(
      '?q=zo%C3%AB&status=active%2Clead&n=0',
    );
    expect(toQueryString({ status: [] })).toBe('');
  });

  it('turns problem+json into an ApiError with field errors and the current resource', async () => {
    stubFetch(409, {
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      code: 'version_conflict',
      detail: 'Someone else saved first',
      errors: [{ field: 'body.email', message: 'Taken' }],
      current: { id: 'c1', version: 3 },
    });
    const error = await apiRequest('/crm/customers/c1', { method: 'PUT', body: { version: 2 } }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'version_conflict', current: { id: 'c1', version: 3 } });
    expect((error as ApiError).fieldErrors).toEqual({ email: 'Taken' });
    expect(errorMessage(error)).toBe('Conflict: Someone else saved first');
  });

  it('sends JSON bodies to /api with the session cookie', async () => {
    const fetchMock = stubFetch(200, { ok: true }, 'application/json');
    await expect(apiRequest('/auth/login', { method: 'POST', body: { email: 'a@b.c' } })).resolves.toEqual({
      ok: true,
    });
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/auth/login',
      expect.objectContaining({
        method: 'POST',
        body: '{"email":"a@b.c"}',
        credentials: 'same-origin',
        headers: expect.objectContaining({ 'content-type': 'application/json' }),
      }),
    );
  });
});
