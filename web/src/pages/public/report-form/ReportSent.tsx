import { formatFingerprint } from '../../../cases/report-encryption.js';
import { CopyField } from '../../../components/CopyField.js';
import { DateTime } from '../../../components/DateTime.js';
import { useTitle } from '../../../hooks.js';
import type { Sent } from './useReportSubmission.js';

/** What the reporter sees once the report is filed: the case id, the deadline, and the private link. */
export function ReportSent({ sent: { report, encryptedTo } }: { sent: Sent }) {
  useTitle(`Report ${report.humanId} received`);
  return (
    <>
      <h1>Report received</h1>
      <p className="lead">
        Your report is case{' '}
        <strong className="mono" data-testid="case-id">
          {report.humanId}
        </strong>
        .
      </p>
      {report.held ? (
        <p className="panel panel-question" data-testid="held-note">
          The project received very many reports recently, so yours is stored but held until you confirm that
          a person sent it: use the link in the receipt we mailed you, or the “Confirm my report” button at
          your private link. Nothing you wrote is lost.
        </p>
      ) : null}
      <p hidden={report.held}>
        A member of the security team will answer you{' '}
        {/* A public issue's answer is due at once: "by" the instant it arrived would be no promise. */}
        {report.firstResponseDueAt && !report.firstResponseAsap ? (
          <>
            by <DateTime value={report.firstResponseDueAt} />
          </>
        ) : (
          'as soon as possible'
        )}
        . An automatic receipt is waiting at your private link already.
      </p>
      <p className="hint" data-testid="sent-how">
        {encryptedTo ? (
          <>
            It was encrypted in your browser to the key{' '}
            <code className="mono fingerprint">{formatFingerprint(encryptedTo)}</code>.
          </>
        ) : (
          'It was sent without encryption in the browser, protected by your connection to this site.'
        )}
      </p>
      <div className="panel panel-secret">
        <CopyField
          label="Your private link"
          value={report.reporterLink}
          warning="Keep this link: unless you gave an email address, it is the only way back to your report and the team’s answers. Keep it private too: whoever has it can read and write in the conversation."
        />
        <p>
          <a href={report.reporterLink}>Open your report</a>
        </p>
      </div>
    </>
  );
}
