import type { CaseDetail } from '../api/types.js';

/** A report's fields, as the reporter filled them in. */
export type ReportFieldValues = CaseDetail['report'];

function ReportPart({ title, text }: { title: string; text: string }) {
  return (
    <div className="report-part">
      <h3>{title}</h3>
      {text.trim() === '' ? (
        <p className="empty">Not given.</p>
      ) : (
        // Plain text, never HTML: React escapes it, and line breaks are kept by CSS.
        <div className="prewrap report-text">{text}</div>
      )}
    </div>
  );
}

/**
 * A report's text as sent, the same on the team's case page and on the reporter's own page:
 * each field under its heading, as plain text.
 */
export function ReportFields({
  report,
  publiclyKnown,
}: {
  report: ReportFieldValues;
  publiclyKnown: boolean;
}) {
  return (
    <div className="report" data-testid="report">
      <ReportPart title="Steps to reproduce" text={report.reproduction} />
      <ReportPart title="Effects and configuration" text={report.effects} />
      <ReportPart title="Impact and attack surface" text={report.impact} />
      <ReportPart title="Other projects or dependencies involved" text={report.dependencies} />
      {publiclyKnown || report.publicDetails.trim() !== '' ? (
        <ReportPart title="Where it is already public" text={report.publicDetails} />
      ) : null}
    </div>
  );
}
