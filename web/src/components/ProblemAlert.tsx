import type { ApiError } from '../api/client.js';
import { IssueList } from './IssueList.js';
import { Alert } from './Status.js';

/**
 * Shows an API failure to the user: the server's title and detail (as text), and the field issues
 * it named. Never a stack trace.
 */
export function ProblemAlert({ error, title }: { error: ApiError | undefined; title?: string }) {
  if (!error) return null;
  const { problem } = error;
  const heading = title ?? problem.title;
  return (
    <Alert title={heading}>
      {problem.detail && problem.detail !== heading ? <p>{problem.detail}</p> : null}
      {error.issues.length > 0 ? <IssueList issues={error.issues} /> : null}
    </Alert>
  );
}
