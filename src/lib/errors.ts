/**
 * The few error classes Vigil raises. Each carries a stable machine code, an HTTP status and a
 * message written for the user; the server maps them once to RFC 9457 problem+json
 * (src/server/plugins/errors.plugin.ts) and the CLI prints the message and exits non-zero.
 */

/** One field-level problem: `path` is the dotted field name, `line` the source line when known. */
export interface FieldIssue {
  path: string;
  message: string;
  line?: number;
}

export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'not_found'
  | 'conflict'
  | 'invalid_transition'
  | 'transition_blocked'
  /** A distributor person's accepted embargo text is not the current one: accept it again first. */
  | 'embargo_not_accepted'
  | 'rate_limited'
  | 'payload_too_large'
  | 'csrf_failed'
  | 'read_only'
  | 'internal';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Input that does not satisfy its schema; `issues` name each offending field. */
export class ValidationError extends AppError {
  constructor(message: string, issues: FieldIssue[] = []) {
    super('validation_failed', 422, message, issues);
  }
}

/**
 * A request refused for one of its fields by a rule of the service (a key that does not encrypt, a
 * missing answer), answered like schema validation: 400, naming the field (`body.answers.3`).
 */
export class BadFieldError extends AppError {
  constructor(path: string, message: string) {
    super('validation_failed', 400, `The request is invalid: ${path}: ${message}`, [{ path, message }]);
  }
}

/** Something the caller may not see, or that does not exist: the two are never distinguished. */
export class NotFoundError extends AppError {
  constructor(what: string) {
    super('not_found', 404, `${what} was not found.`);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in or send a valid API token.') {
    super('unauthenticated', 401, message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super('conflict', 409, message);
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number, message?: string) {
    super(
      'rate_limited',
      429,
      message ?? `Too many attempts. Try again in ${retryAfterSeconds} seconds.`,
      [],
      { 'retry-after': String(retryAfterSeconds) },
    );
  }
}
