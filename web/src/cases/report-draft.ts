/**
 * What the reporter types into the public report form, as typed, and the report it becomes: the
 * credit fields are shared with the reporter's credit form on their private page.
 */
import type { AttachmentInput, Credit, ReportInput } from '../api/types.js';

/** How to credit the reporter, as typed: each line optional. */
export interface CreditDraft {
  name: string;
  handle: string;
  affiliation: string;
}

export interface ReportDraft extends CreditDraft {
  subject: string;
  email: string;
  anonymous: boolean;
  reproduction: string;
  effects: string;
  impact: string;
  dependencies: string;
  isPublic: boolean;
  publicDetails: string;
}

export const EMPTY_REPORT_DRAFT: ReportDraft = {
  subject: '',
  name: '',
  handle: '',
  affiliation: '',
  email: '',
  anonymous: false,
  reproduction: '',
  effects: '',
  impact: '',
  dependencies: '',
  isPublic: false,
  publicDetails: '',
};

/** An optional single-line answer: trimmed, left out when empty. */
export function optionalLine(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The credit as the API takes it: empty lines left out. */
export function creditFromDraft(draft: CreditDraft, anonymous: boolean): Credit {
  return {
    name: optionalLine(draft.name),
    handle: optionalLine(draft.handle),
    affiliation: optionalLine(draft.affiliation),
    anonymous,
  };
}

/** The credit's lines as the form shows them. */
export function creditDraft(credit: Credit): CreditDraft {
  return { name: credit.name ?? '', handle: credit.handle ?? '', affiliation: credit.affiliation ?? '' };
}

/** The report the form sends: the subject trimmed, where it is public only when it is. */
export function reportFromDraft(draft: ReportDraft, attachments: AttachmentInput[]): ReportInput {
  return {
    subject: draft.subject.trim(),
    reporter: { ...creditFromDraft(draft, draft.anonymous), email: optionalLine(draft.email) },
    reproduction: draft.reproduction,
    effects: draft.effects,
    impact: draft.impact,
    dependencies: draft.dependencies,
    publiclyKnown: draft.isPublic,
    publicDetails: draft.isPublic ? draft.publicDetails : '',
    attachments,
  };
}
