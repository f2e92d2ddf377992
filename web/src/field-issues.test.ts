import { describe, expect, it } from 'vitest';
import { ApiError } from './api/client.js';
import type { Issue } from './api/types.js';
import { fieldIssues } from './field-issues.js';

const FIELDS = ['subject', 'reporter', 'reporter.email', 'attachments'] as const;

function refusal(issues: Issue[]): ApiError {
  return new ApiError({ type: 'about:blank', title: 'Invalid', status: 422, issues });
}

describe('fieldIssues', () => {
  it('has nothing to place without an error', () => {
    const placed = fieldIssues(undefined, FIELDS);
    expect(placed.of('subject')).toEqual([]);
    expect(placed.message('subject', 'The subject')).toBeUndefined();
    expect(placed.unclaimed).toEqual([]);
  });

  it('places schema paths (body.*) and service paths at their field', () => {
    const placed = fieldIssues(
      refusal([
        { path: 'body.subject', message: 'is required' },
        { path: 'attachments.1', message: 'is too large' },
      ]),
      FIELDS,
    );
    expect(placed.of('subject')).toEqual([{ path: 'subject', message: 'is required' }]);
    expect(placed.of('attachments')).toEqual([{ path: 'attachments.1', message: 'is too large' }]);
    expect(placed.unclaimed).toEqual([]);
  });

  it('places the fields of a report encrypted in the browser (encrypted.*) like plain ones', () => {
    const placed = fieldIssues(
      refusal([
        { path: 'encrypted.subject', message: 'is required' },
        { path: 'encrypted.reporter.email', message: 'must be an email address' },
      ]),
      FIELDS,
    );
    expect(placed.message('subject', 'The subject')).toBe('The subject is required');
    expect(placed.of('reporter.email')).toEqual([
      { path: 'reporter.email', message: 'must be an email address' },
    ]);
    // The most specific field wins: the email's issue is not also the reporter's.
    expect(placed.of('reporter')).toEqual([]);
  });

  it('leaves the encrypted message as a whole, and unknown paths, to the form’s alert', () => {
    const whole = { path: 'encrypted', message: 'no-key' };
    const schema = { path: 'body.encrypted', message: 'must be an armored OpenPGP message' };
    const stray = { path: 'body.unexpected', message: 'is not allowed' };
    const placed = fieldIssues(refusal([whole, schema, stray]), FIELDS);
    expect(placed.unclaimed).toEqual([whole, schema, stray]);
    expect(placed.of('subject')).toEqual([]);
  });

  it('writes a lower-case message after the label and keeps a sentence as it is', () => {
    const placed = fieldIssues(
      refusal([
        { path: 'subject', message: 'is too short' },
        { path: 'subject', message: 'Use one line.' },
      ]),
      FIELDS,
    );
    expect(placed.message('subject', 'The subject')).toBe('The subject is too short Use one line.');
  });
});
