/**
 * The one place the UI talks HTTP: openapi-fetch clients typed by the API's own OpenAPI document
 * (`generated/openapi.d.ts`, written by `npm run api:types` from the server's route schemas), so a
 * path, a parameter or a response field the server no longer has fails the type check. Calls go
 * with the session cookie, and every non-GET call with the CSRF token from the session; the
 * reporter's calls go without either. Failures become an `ApiError` holding the server's RFC 9457
 * problem, or a plain-language problem when the server could not be reached.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './generated/openapi.js';
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

/**
 * The reads made with the session in this page, aborted all at once when it signs out: a read
 * still on its way when the sign-out lands would answer 401 (the session it carried is gone), a
 * failed request in the console and a "signed out" the user already knows.
 */
let sessionReads = new AbortController();

/** Aborts the session's reads in flight (before signing out); later reads go on as usual. */
export function abortSessionReads(): void {
  sessionReads.abort();
  sessionReads = new AbortController();
}

/** Registers what to do when an authenticated call answers 401: the session ended or expired. */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

interface CallerOptions {
  /**
   * Sends the session cookie, and the CSRF token on writes. Off for the reporter's public routes,
   * so a report never depends on, or is tied to, whoever happens to be signed in in this browser.
   */
  session: boolean;
  /** A 401 answer means the session ended; false for the calls allowed, or expected, to answer 401. */
  sessionRequired: boolean;
}

function createCaller({ session, sessionRequired }: CallerOptions) {
  const client = createClient<paths>({
    credentials: session ? 'same-origin' : 'omit',
    headers: { Accept: 'application/json' },
  });
  const middleware: Middleware = {
    onRequest({ request }) {
      if (!session) return undefined;
      if (request.method === 'GET') {
        return new Request(request, { signal: AbortSignal.any([request.signal, sessionReads.signal]) });
      }
      if (csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
      return undefined;
    },
    async onResponse({ response }) {
      if (response.ok) return;
      const error = new ApiError(await readProblem(response), readRetryAfter(response));
      if (response.status === 401 && session && sessionRequired) onUnauthenticated?.();
      throw error;
    },
    onError({ error }) {
      // An abort is the caller's own doing: it goes through as it is (see isAbort).
      return isAbort(error) ? undefined : unreachable();
    },
  };
  client.use(middleware);
  return client;
}

/** Calls as the signed-in user: a 401 answer signs the UI out (the session ended elsewhere). */
export const api = createCaller({ session: true, sessionRequired: true });

/** Signing in and out and asking who is signed in: calls that answer 401 without a session ending. */
export const authApi = createCaller({ session: true, sessionRequired: false });

/** The reporter's public routes and published files: no session cookie, no CSRF token. */
export const publicApi = createCaller({ session: false, sessionRequired: false });

/**
 * The body of a call's success answer. A failure answer never gets here (the clients throw it as
 * an ApiError); an unreadable or missing body becomes one.
 */
export async function answer<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  let result: { data?: T };
  try {
    result = await call;
  } catch (err) {
    // openapi-fetch parses the body of a success answer itself: a SyntaxError is a body that is not JSON.
    throw err instanceof SyntaxError ? unreadable() : err;
  }
  if (result.data === undefined) throw unreadable();
  return result.data;
}

type GetParameters<P extends keyof paths, In extends 'path' | 'query'> = paths[P] extends {
  get: { parameters: Record<In, infer A> };
}
  ? A
  : never;

/**
 * The same-origin URL of a GET path of the API, for a plain link (a download the browser makes
 * with the session cookie): `path` as the API document names it, its parameters filled in.
 */
export function linkTo<P extends keyof paths>(
  path: P,
  params: GetParameters<P, 'path'>,
  query?: GetParameters<P, 'query'>,
): string {
  const values = new Map<string, unknown>(Object.entries(params ?? {}));
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String(values.get(name))),
  );
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {}))
    if (value !== undefined) search.set(name, String(value));
  const qs = search.toString();
  return qs ? `${filled}?${qs}` : filled;
}

/** Waits for a call whose success answer has no body (204); failures as for `answer`. */
export async function done(call: Promise<unknown>): Promise<void> {
  await call;
}

/**
 * A failure found in the browser, with no problem document from the server: said in the user's
 * words, status 0 unless `more` stands in for the server's answer (e.g. 413 with its issue).
 */
export function browserProblem(title: string, detail?: string, more: Partial<Problem> = {}): ApiError {
  return new ApiError({ type: 'about:blank', title, status: 0, detail, ...more });
}

function unreachable(): ApiError {
  return browserProblem('The Vigil server could not be reached', 'Check your connection and try again.');
}

function unreadable(): ApiError {
  return browserProblem('The server sent an unreadable answer', 'Reload the page and try again.');
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
  return browserProblem('Something went wrong', 'The page could not finish that. Reload it and try again.');
}
