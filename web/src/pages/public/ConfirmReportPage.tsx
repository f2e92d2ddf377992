import { useEffect, useRef, useState } from 'react';
import * as api from '../../api/endpoints.js';
import type { HeldConfirmation } from '../../api/types.js';
import { toApiError, type ApiError } from '../../api/client.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Alert, Loading } from '../../components/Status.js';
import { useTitle } from '../../hooks.js';
import { replaceUrl, useLocation } from '../../router.js';

/**
 * `/confirm-report#<token>`: the link of a held report's receipt mail. Opening it confirms the
 * report (one click: the page posts the token at once) and it goes to the team. The token sits in
 * the fragment, so it never reaches a server log, and is dropped from the address bar once sent.
 */
export function ConfirmReportPage() {
  useTitle('Confirm your report');
  const location = useLocation();
  const token = useRef(location.hash.replace(/^#/, '')).current;
  const [result, setResult] = useState<HeldConfirmation | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!token) return;
    replaceUrl('/confirm-report');
    api.confirmHeldReport(token).then(setResult, (err: unknown) => setError(toApiError(err)));
  }, [token]);

  return (
    <div className="narrow">
      <h1>Confirm your report</h1>
      {!token ? (
        <Alert title="This confirmation link is incomplete">
          <p>Open the whole link from the receipt we mailed you.</p>
        </Alert>
      ) : error?.status === 404 ? (
        <Alert title="This confirmation link is not valid">
          <p>Open the whole link from the receipt we mailed you; it may have been cut across two lines.</p>
        </Alert>
      ) : error ? (
        <ProblemAlert error={error} title="Your report was not confirmed" />
      ) : result ? (
        <p data-testid="confirmed">
          {result.released
            ? `Thank you: your report ${result.humanId} is confirmed and has gone to the ${result.projectName} security team.`
            : `Your report ${result.humanId} was confirmed already: the ${result.projectName} security team has it.`}{' '}
          Follow it at the private link of your receipt.
        </p>
      ) : (
        <Loading what="Confirming your report" />
      )}
    </div>
  );
}
