import { describe, expect, it } from 'vitest';
import { creditDraft, creditFromDraft, EMPTY_REPORT_DRAFT, reportFromDraft } from './report-draft.js';

describe('reportFromDraft', () => {
  it('trims the subject and the reporter’s lines, and leaves out the empty ones', () => {
    const report = reportFromDraft(
      {
        ...EMPTY_REPORT_DRAFT,
        subject: '  Heap overflow  ',
        name: ' Ada ',
        handle: '   ',
        email: ' a@b.example ',
      },
      [],
    );
    expect(report.subject).toBe('Heap overflow');
    expect(report.reporter).toEqual({
      name: 'Ada',
      handle: undefined,
      affiliation: undefined,
      anonymous: false,
      email: 'a@b.example',
    });
  });

  it('sends where it is public only when the reporter says it is', () => {
    const draft = { ...EMPTY_REPORT_DRAFT, publicDetails: 'on a forum since May' };
    expect(reportFromDraft(draft, [])).toMatchObject({ publiclyKnown: false, publicDetails: '' });
    expect(reportFromDraft({ ...draft, isPublic: true }, [])).toMatchObject({
      publiclyKnown: true,
      publicDetails: 'on a forum since May',
    });
  });

  it('keeps the long answers as typed, and the attachments', () => {
    const file = { filename: 'poc.py', contentType: 'text/x-python', contentBase64: 'cHJpbnQoKQ==' };
    const report = reportFromDraft({ ...EMPTY_REPORT_DRAFT, reproduction: '  1. run\n' }, [file]);
    expect(report.reproduction).toBe('  1. run\n');
    expect(report.attachments).toEqual([file]);
  });
});

describe('credit drafts', () => {
  it('round-trip a credit through the form', () => {
    const credit = { name: 'Ada', handle: undefined, affiliation: 'Lab', anonymous: true };
    expect(creditFromDraft(creditDraft(credit), true)).toEqual(credit);
    expect(creditDraft({ anonymous: false })).toEqual({ name: '', handle: '', affiliation: '' });
  });
});
