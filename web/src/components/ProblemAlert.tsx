import type { ApiError } from '../api/client.js';
import { IssueList } from './IssueList.js';

/**
 * Shows an API failure to the user: the server's title and detail (as text), and the field issues
 * it named. Never a stack trace.
 */
export function ProblemAlert({ error, title }: { error: ApiError | undefined; title?: string }) {
  if (!error) return null;
  const { problem } = error;
  return (
    <div className="alert alert-error" role="alert">
      <p className="alert-title">{title ?? problem.title}</p>
      {problem.detail && problem.detail !== (title ?? problem.title) ? <p>{problem.detail}</p> : null}
      {error.issues.length > 0 ? <IssueList issues={error.issues} /> : null}
    </div>
  );
}
