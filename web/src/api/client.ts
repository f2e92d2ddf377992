/**
 * The one place the UI talks HTTP. Every call goes to `/api/v1` with the session cookie; every
 * non-GET call carries the CSRF token from the session. Failures become an `ApiError` holding the
 * server's RFC 9457 problem, or a plain-language problem when the server could not be reached.
 */
import type { Issue, Problem } from './types.js';

/** An API failure: `problem` is what the server said (or a stand-in), safe to show to the user. */
export class ApiError extends Error {
  constructor(
    readonly problem: Problem,
    /** From the Retry-After header of a 429 answer, in seconds. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string | undefined {
    return this.problem.code;
  }

  get issues(): Issue[] {
    return this.problem.issues ?? [];
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** Remembers the CSRF token of the current session (null when signed out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Registers what to do when an authenticated call answers 401: the session ended or expired. */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** False for the calls that are allowed, or expected, to answer 401 (sign-in, session check). */
  sessionRequired?: boolean;
  /**
   * For the reporter's public routes: sent without the session cookie (and so without CSRF token),
   * so a report never depends on, or is tied to, whoever happens to be signed in in this browser.
   */
  anonymous?: boolean;
  /** Extra request headers, e.g. `X-Vigil-Client`. */
  headers?: Record<string, string>;
}

/** Sends one API request and returns the parsed JSON body (undefined for 204). */
export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...options.headers, Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken && !options.anonymous) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: options.anonymous ? 'omit' : 'same-origin',
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({
      type: 'about:blank',
      title: 'The Vigil server could not be reached',
      status: 0,
      detail: 'Check your connection and try again.',
    });
  }

  if (response.ok) {
    if (response.status === 204) return undefined as T;
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError({
        type: 'about:blank',
        title: 'The server sent an unreadable answer',
        status: response.status,
        detail: 'Reload the page and try again.',
      });
    }
  }

  const error = new ApiError(await readProblem(response), readRetryAfter(response));
  if (response.status === 401 && options.sessionRequired !== false && !options.anonymous)
    onUnauthenticated?.();
  throw error;
}

/**
 * Fetches a public text document the server publishes outside the API (e.g. a project's OpenPGP
 * key at `/p/{slug}/pgp-key.asc`): same origin, without cookies, failures as an ApiError.
 */
export async function publicTextRequest(path: string, signal?: AbortSignal): Promise<string> {
  let response: Response;
  try {
    // Revalidated, never taken from the cache as is: a key may have just been rotated.
    response = await fetch(path, { credentials: 'omit', cache: 'no-cache', signal: signal ?? null });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({
      type: 'about:blank',
      title: 'The Vigil server could not be reached',
      status: 0,
      detail: 'Check your connection and try again.',
    });
  }
  if (!response.ok) throw new ApiError(await readProblem(response), readRetryAfter(response));
  return response.text();
}

async function readProblem(response: Response): Promise<Problem> {
  const fallback: Problem = {
    type: 'about:blank',
    title: response.status >= 500 ? 'The server ran into a problem' : 'The request failed',
    status: response.status,
    detail: `The server answered with status ${response.status}. Try again, and tell your administrator if it persists.`,
  };
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return fallback;
  try {
    const body: unknown = await response.json();
    if (!isProblemLike(body)) return fallback;
    return {
      type: typeof body.type === 'string' ? body.type : 'about:blank',
      title: body.title,
      status: typeof body.status === 'number' ? body.status : response.status,
      detail: typeof body.detail === 'string' ? body.detail : undefined,
      code: typeof body.code === 'string' ? body.code : undefined,
      issues: Array.isArray(body.issues) ? body.issues.filter(isIssue) : undefined,
    };
  } catch {
    return fallback;
  }
}

function isProblemLike(value: unknown): value is Record<string, unknown> & { title: string } {
  return (
    typeof value === 'object' && value !== null && typeof (value as { title?: unknown }).title === 'string'
  );
}

function isIssue(value: unknown): value is Issue {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.path === 'string' &&
    typeof v.message === 'string' &&
    (v.line === undefined || typeof v.line === 'number')
  );
}

function readRetryAfter(response: Response): number | null {
  const value = response.headers.get('retry-after');
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** True when `err` is the abort of a request the UI no longer needs (ignore it). */
export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/**
 * Any failure as an ApiError the UI can show. Unexpected errors (bugs) get a generic message for
 * the user, never a stack trace; the original goes to the console for whoever debugs it.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  console.error(err);
  return new ApiError({
    type: 'about:blank',
    title: 'Something went wrong',
    status: 0,
    detail: 'The page could not finish that. Reload it and try again.',
  });
}
