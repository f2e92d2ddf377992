import type { ApiError } from '../api/client.js';
import type { Issue } from '../api/types.js';
import { IssueList } from './IssueList.js';
import { Alert } from './Status.js';

interface ProblemAlertProps {
  error: ApiError | undefined;
  title?: string | undefined;
  /**
   * The issues to list here, when the form shows the others next to their fields; by default all.
   * When some were placed at their fields, the alert says so.
   */
  issues?: Issue[];
}

/**
 * Shows an API failure to the user: the server's title and detail (as text), and the field issues
 * it named. Never a stack trace.
 */
export function ProblemAlert({ error, title, issues }: ProblemAlertProps) {
  if (!error) return null;
  const { problem } = error;
  const heading = title ?? problem.title;
  const listed = issues ?? error.issues;
  const atFields = error.issues.length - listed.length;
  return (
    <Alert title={heading}>
      {problem.detail && problem.detail !== heading ? <p>{problem.detail}</p> : null}
      {listed.length > 0 ? <IssueList issues={listed} /> : null}
      {atFields > 0 ? (
        <p>{atFields === 1 ? 'The field marked below needs' : 'The fields marked below need'} attention.</p>
      ) : null}
    </Alert>
  );
}
