import type { ReportDraft } from '../../../cases/report-draft.js';
import type { FieldIssues } from '../../../field-issues.js';

/** What each step of the report form is given: the draft, a way to change it, and the server's issues. */
export interface StepProps {
  draft: ReportDraft;
  onChange: (patch: Partial<ReportDraft>) => void;
  issues: FieldIssues;
}

/** Every field the form can place an issue next to (see fieldIssues). */
export const REPORT_FIELDS = [
  'subject',
  'reporter',
  'reporter.name',
  'reporter.handle',
  'reporter.affiliation',
  'reporter.email',
  'reproduction',
  'effects',
  'impact',
  'dependencies',
  'publiclyKnown',
  'publicDetails',
  'attachments',
] as const;
