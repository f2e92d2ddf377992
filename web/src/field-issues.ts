/**
 * Places the field issues of an API failure next to the fields they name. The server names a
 * field by its path in the request (`body.reporter.email` for a schema failure, `reason` or
 * `attachments.1` for a rule of the service, `encrypted.subject` for a field inside a report
 * encrypted in the browser); issues that name no field on the form (`encrypted` alone: the
 * message itself could not be opened) stay in the form's alert.
 */
import type { ApiError } from './api/client.js';
import type { Issue } from './api/types.js';

export interface FieldIssues {
  /** The issues about `field` (or anything below it, e.g. `attachments.1` for `attachments`). */
  of: (field: string) => Issue[];
  /** One line for `field`, for its error message; undefined when it has no issue. */
  message: (field: string, label: string) => string | undefined;
  /** The issues no field on the form claims. */
  unclaimed: Issue[];
}

/** The field a path names on the form: the request body's and the encrypted plaintext's prefixes go. */
function normalize(path: string): string {
  return path.replace(/^(body\.)?(encrypted\.)?/, '');
}

function within(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`);
}

/** Sorts the issues of `error` among `fields` (the most specific field wins). */
export function fieldIssues(error: ApiError | undefined, fields: readonly string[]): FieldIssues {
  const byField = new Map<string, Issue[]>();
  const unclaimed: Issue[] = [];
  for (const issue of error?.issues ?? []) {
    const path = normalize(issue.path);
    const owner = fields
      .filter((f) => within(path, f))
      .sort((a, b) => b.length - a.length)
      .at(0);
    if (owner === undefined) unclaimed.push(issue);
    else byField.set(owner, [...(byField.get(owner) ?? []), { ...issue, path }]);
  }
  const of = (field: string) => byField.get(field) ?? [];
  return {
    of,
    // "is required: it is sent to the reporter" reads as a sentence after the field's name.
    message: (field, label) => {
      const found = of(field);
      if (found.length === 0) return undefined;
      return found.map((i) => (/^[a-z]/.test(i.message) ? `${label} ${i.message}` : i.message)).join(' ');
    },
    unclaimed,
  };
}
