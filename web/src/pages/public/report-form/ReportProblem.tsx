import { useEffect, useRef } from 'react';
import type { ApiError } from '../../../api/client.js';
import { isUndecryptable } from '../../../cases/report-encryption.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { Alert } from '../../../components/Status.js';
import type { FieldIssues } from '../../../field-issues.js';
import { formatWait } from '../../../hooks.js';

interface ReportProblemProps {
  error: ApiError | undefined;
  issues: FieldIssues;
  projectName: string;
  waitSeconds: number;
}

/**
 * Why the report was not sent, above the form, scrolled into view when it changes: the team's key
 * could not open it, too many reports came, or the server's refusal with the issues no field claims.
 */
export function ReportProblem({ error, issues, projectName, waitSeconds }: ReportProblemProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.scrollIntoView({ block: 'start' });
  }, [error]);
  const rateLimited = error?.status === 429;
  const refused = error !== undefined && error.status >= 400 && error.status < 500;
  return (
    <div ref={ref}>
      {error && isUndecryptable(error.issues) ? (
        <UndecryptableAlert projectName={projectName} />
      ) : (
        <ProblemAlert
          error={error}
          title={
            rateLimited
              ? 'Too many reports were sent just now'
              : refused
                ? 'Your report was not sent'
                : undefined
          }
          issues={issues.unclaimed}
        />
      )}
      {rateLimited ? (
        <p className="alert alert-info" role="status">
          Everything you typed is still here.
          {waitSeconds > 0
            ? ` You can send it again in ${formatWait(waitSeconds)}.`
            : ' You can send it now.'}
        </p>
      ) : null}
    </div>
  );
}

/** The message inside the encrypted report could not be opened: say so, and keep everything typed. */
function UndecryptableAlert({ projectName }: { projectName: string }) {
  return (
    <Alert title="Your report was not sent: the security team’s key could not open it">
      <p>
        The {projectName} security team may have changed its key since this page was opened. The form has
        fetched the current key again: check its fingerprint below, then send again, or send without
        encryption in the browser. Everything you typed is still here.
      </p>
    </Alert>
  );
}
