import type { IntakeInfo } from '../../../api/types.js';
import { describeFirstResponse } from '../../../cases/clock.js';

/** The issue tracker as a link, when the policy names a web address for it. */
function trackerLink(url: string | null): string | null {
  return url !== null && /^https?:\/\//i.test(url) ? url : null;
}

/** Who reads the report and when they answer, where non-security issues go, and what to include. */
export function ReportIntro({ intake }: { intake: IntakeInfo }) {
  const tracker = trackerLink(intake.issueTrackerUrl);
  return (
    <>
      <h1>Report a vulnerability to the {intake.name} security team</h1>
      <p className="lead">
        Only the {intake.name} security team reads what you send here, and you do not need an account.{' '}
        <span data-testid="first-response">
          A human on the team answers {describeFirstResponse(intake.firstResponseBusinessDays)}.
        </span>
      </p>
      <p className="hint intro">
        Not a security problem (a crash on a bad configuration, a feature request)? Please use the project’s{' '}
        {tracker ? <a href={tracker}>public issue tracker</a> : 'public issue tracker'} instead.
      </p>
      {intake.reportContents.length > 0 ? (
        <section className="panel guidance" aria-labelledby="guidance-heading" data-testid="guidance">
          <h2 id="guidance-heading">What the team asks a report to include</h2>
          <ul>
            {intake.reportContents.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
