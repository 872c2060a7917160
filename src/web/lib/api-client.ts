import type { FieldError, Problem } from '../../shared/problem.js';

/** An HTTP error from the API, parsed from its application/problem+json body. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly code: string;
  /** Field-level messages keyed by field path ("email", "emails.0.email"). */
  readonly fieldErrors: Record<string, string>;
  /** On a 409 version conflict: the current state of the resource. */
  readonly current: unknown;

  constructor(status: number, problem: Partial<Problem>) {
    super(problem.detail ?? problem.title ?? `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.title = problem.title ?? `Request failed (${status})`;
    this.detail = problem.detail;
    this.code = problem.code ?? 'unknown';
    this.fieldErrors = toFieldErrors(problem.errors ?? []);
    this.current = problem.current;
  }
}

function toFieldErrors(errors: readonly FieldError[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const e of errors) {
    // Servers may send "body.email", "/email" or "emails[0].email"; the forms use plain dotted
    // paths ("emails.0.email").
    const field = e.field
      .replace(/^(body|query|params)[./]/, '')
      .replace(/^\//, '')
      .replaceAll('/', '.')
      .replace(/\[(\d+)\]/g, '.$1');
    result[field] ??= e.message;
  }
  return result;
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

/** A readable one-line message for any error thrown by a request. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.detail && error.detail !== error.title) return `${error.title}: ${error.detail}`;
    return error.title;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}

export type QueryValue = string | number | boolean | null | undefined | readonly string[];

/** Builds `?a=1&b=x,y` from an object, skipping empty values. */
export function toQueryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(key, value.join(','));
    } else {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  /** A JSON body, or FormData sent as multipart. */
  body?: unknown;
  signal?: AbortSignal;
}

async function parseProblem(response: Response): Promise<Partial<Problem>> {
  const text = await response.text();
  if (!text) return { title: response.statusText || `Request failed (${response.status})` };
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') return parsed as Partial<Problem>;
  } catch {
    // Not JSON (a proxy error page, say): fall through to the status text.
  }
  return { title: response.statusText || `Request failed (${response.status})`, detail: text.slice(0, 200) };
}

/** Calls the API on the same origin with the session cookie; throws ApiError on non-2xx. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', query, body, signal } = options;
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(`/api${path}${query ? toQueryString(query) : ''}`, {
    method,
    headers,
    body: payload,
    signal,
    credentials: 'same-origin',
  });
  if (!response.ok) {
    throw new ApiError(response.status, await parseProblem(response));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
