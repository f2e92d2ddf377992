import { describe, expect, it } from 'vitest';
import {
  MAIL_KINDS,
  MAIL_TEMPLATES,
  mailAudience,
  renderMail,
  type MailKind,
  type MailParams,
} from './mail-templates.js';
import { formatInstant } from '../../lib/format-instant.js';
import { ACCOUNT_SECURITY_CHANGES } from './account-security.template.js';
import { fitReleases } from './releases-out-distributor.template.js';
import { formatDuration, wrapText } from './template-kit.js';

// What a case holds that a notification must never carry. Each test offers these alongside the
// allowed parameters and checks that they are refused and never echoed.
const SECRETS = {
  reportTitle: 'SECRET-TITLE RCE in the xDS parser',
  body: 'SECRET-BODY curl -X POST http://victim/exploit',
  reporterName: 'SECRET-NAME Mallory Reporter',
  reporterEmail: 'secret-reporter@example.net',
  reason: 'SECRET-REASON lack of safe defaults, see docs',
  question: 'SECRET-QUESTION which version do you run?',
  subject: 'SECRET-SUBJECT heap overflow',
};
const MARKERS = [...Object.values(SECRETS), 'SECRET', 'Mallory', 'secret-reporter'];

const LINK = 'https://vigil.example.org/cases/VGL-2026-0042';
const REPORTER_LINK = 'https://vigil.example.org/r/rpt_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg';
const TZ = 'Europe/Berlin';
const base = { projectName: 'Contour', caseHumanId: 'VGL-2026-0042' };

// Every parameter any template may take. A new one means a review of what it reveals.
const ALLOWED_PARAMS = new Set([
  'projectName',
  'caseHumanId',
  'link',
  // A held report's confirmation link (held intake, issue 11): a link, checked like `link`.
  'confirmLink',
  'state',
  'timeZone',
  'receivedAt',
  'firstResponseDueAt',
  'responseDueAt',
  'dueAt',
  'now',
  'elapsedPercent',
  'channel',
  'publiclyKnown',
  'replyByMail',
  'problem',
  'newAccount',
  'phase',
  // distributors.team: which notice, a name from its enum.
  'notice',
  // distributors.refused: the team's reason, written for an applicant to a distributors list who has
  // no account to read it behind; their own application, never a case.
  'refusalReason',
  // The disclosure date's step (proposed, decided...): an enum, never the date's words.
  'event',
  // Publication (issue 10): a count of blockers and the retry interval for the team; the public
  // ids, release versions and publication instant of an advisory already published, for distributors.
  'blockers',
  'retryMinutes',
  'advisoryId',
  'cveId',
  'releases',
  // How many versions the follow-up left out (a count).
  'omitted',
  'publishedAt',
  // account.security: which change to a person's sign-in factors (an enum), when (an instant) and,
  // for a recovery code used, how many are left (a count).
  'change',
  'changedAt',
  'recoveryCodesLeft',
  // digest.team (issue 13): lines of project name, case id, a team mail kind (an enum) and a link.
  'items',
]);
/** The one free text besides the project name, and the one template that takes it. */
const FREE_TEXT = { 'distributors.refused': ['refusalReason'] } as Partial<Record<MailKind, string[]>>;

const flat = (s: string) => s.replace(/\s+/g, ' ');

/** Renders, then checks what every mail must satisfy: no secret, short lines, the footer. */
function render<K extends MailKind>(kind: K, params: MailParams<K>) {
  const mail = renderMail(kind, params);
  for (const marker of MARKERS) {
    expect(mail.subject).not.toContain(marker);
    expect(mail.text).not.toContain(marker);
  }
  expect(mail.subject).not.toMatch(/[\r\n]/);
  for (const line of mail.text.split('\n')) {
    if (!line.includes('https://')) expect(line.length).toBeLessThanOrEqual(72);
  }
  expect(mail.text).toMatch(/\n-- \nYou receive this because /);
  return { ...mail, flatText: flat(mail.text) };
}

/** The same parameters plus report content must be refused, and the error must not echo it. */
function expectRefusesReportContent<K extends MailKind>(kind: K, params: MailParams<K>) {
  for (const [key, value] of Object.entries(SECRETS)) {
    const withSecret = { ...params, [key]: value } as MailParams<K>;
    let error: unknown;
    try {
      renderMail(kind, withSecret);
    } catch (e) {
      error = e;
    }
    expect(error, `${kind} accepted ${key}`).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`unknown field(s) ${key}`);
    for (const marker of MARKERS) expect((error as Error).message).not.toContain(marker);
  }
}

describe('the template registry', () => {
  it('has one template per kind of issue 3, the phase clocks of issue 9 and the distributors list of issue 10, each with its audience', () => {
    expect(MAIL_KINDS).toEqual([
      'report-received.team',
      'report-received.reporter',
      'message.reporter',
      'message.team',
      'transition.reporter',
      'reminder.team',
      'escalation.team',
      'undecryptable.team',
      'invitation.member',
      'phase-reminder.team',
      'phase-escalation.team',
      'distributors.vouch-request',
      'distributors.welcome',
      'distributors.refused',
      'distributors.team',
      'disclosure-date.team',
      'disclosure-date.reporter',
      'disclosure-date.distributor',
      'publication-held.team',
      'releases-out.distributor',
      'members.team',
      'account.security',
      'digest.team',
    ]);
    expect(MAIL_KINDS.map(mailAudience)).toEqual([
      'team',
      'reporter',
      'reporter',
      'team',
      'reporter',
      'team',
      'team',
      'team',
      'invitee',
      'team',
      'team',
      'invitee',
      'invitee',
      'invitee',
      'team',
      'team',
      'reporter',
      'invitee',
      'team',
      'distributor',
      'team',
      'account',
      'team',
    ]);
  });

  it('takes no parameter beyond the reviewed list, and no free text but the project name', () => {
    for (const kind of MAIL_KINDS) {
      const shape = MAIL_TEMPLATES[kind].params.shape as Record<string, unknown>;
      for (const key of Object.keys(shape)) expect(ALLOWED_PARAMS, `${kind}.${key}`).toContain(key);
      const free = Object.keys(shape).filter((key) => key === 'refusalReason');
      expect(free, kind).toEqual(FREE_TEXT[kind] ?? []);
    }
  });

  it('refuses a human id or link that could smuggle text, naming the field but not the value', () => {
    expect(() =>
      renderMail('message.team', { ...base, caseHumanId: 'VGL-1 SECRET-TITLE', link: LINK }),
    ).toThrow(/message\.team: invalid parameters: caseHumanId must be a case id/);
    expect(() => renderMail('message.team', { ...base, link: 'javascript:alert(1)' })).toThrow(/link/);
    try {
      renderMail('message.team', { ...base, caseHumanId: 'SECRET-TITLE RCE', link: LINK });
    } catch (e) {
      expect((e as Error).message).not.toContain('SECRET');
    }
  });

  it('rejects extra fields at compile time too', () => {
    // @ts-expect-error reportTitle is not a parameter of any template
    expect(() => renderMail('message.team', { ...base, link: LINK, reportTitle: 'x' })).toThrow();
  });

  it('collapses line breaks in the project name', () => {
    const mail = renderMail('message.team', {
      ...base,
      projectName: 'Evil\r\nBcc: x@example.net',
      link: LINK,
    });
    expect(mail.subject).toBe(
      '[Vigil] [Evil Bcc: x@example.net] VGL-2026-0042: new message from the reporter',
    );
  });

  it('shortens a long project name in the subject only', () => {
    const projectName = 'P'.repeat(150);
    const mail = renderMail('message.team', { ...base, projectName, link: LINK });
    expect(mail.subject).toContain(`[${'P'.repeat(59)}…]`);
    expect(mail.subject.length).toBeLessThan(200);
    expect(mail.text.replace(/\s/g, '')).toContain(projectName);
  });
});

describe('date and duration wording', () => {
  it('renders an instant in the project zone, naming the zone, across DST', () => {
    expect(formatInstant(new Date('2026-01-15T16:00:00Z'), 'Europe/Berlin', 'short')).toBe(
      'Thu 15 Jan 2026, 17:00 CET (Europe/Berlin)',
    );
    expect(formatInstant(new Date('2026-07-15T15:00:00Z'), 'Europe/Berlin', 'short')).toBe(
      'Wed 15 Jul 2026, 17:00 CEST (Europe/Berlin)',
    );
    expect(formatInstant(new Date('2026-07-15T15:00:00Z'), 'UTC', 'short')).toBe(
      'Wed 15 Jul 2026, 15:00 UTC (UTC)',
    );
    expect(formatInstant(new Date('2026-07-15T23:30:00Z'), 'America/New_York', 'short')).toMatch(
      /^Wed 15 Jul 2026, 19:30 (EDT|GMT-4) \(America\/New_York\)$/,
    );
  });

  it('says a span with its two largest units', () => {
    expect(formatDuration(30_000)).toBe('less than a minute');
    expect(formatDuration(45 * 60_000)).toBe('45 minutes');
    expect(formatDuration(60 * 60_000)).toBe('1 hour');
    expect(formatDuration((28 * 60 + 5) * 60_000)).toBe('1 day 4 hours');
    expect(formatDuration((3 * 1440 + 5) * 60_000)).toBe('3 days');
    expect(formatDuration(-(2 * 60 + 1) * 60_000)).toBe('2 hours 1 minute');
  });

  it('wraps at 72 columns without breaking a link', () => {
    const url = `https://example.org/${'a'.repeat(90)}`;
    const wrapped = wrapText(`${'word '.repeat(30)}${url} end`);
    const lines = wrapped.split('\n');
    expect(lines).toContain(url);
    for (const line of lines) if (line !== url) expect(line.length).toBeLessThanOrEqual(72);
    expect(flat(wrapped)).toBe(`${'word '.repeat(30)}${url} end`);
  });
});

describe('report-received.team', () => {
  const params: MailParams<'report-received.team'> = {
    ...base,
    link: LINK,
    receivedAt: '2026-01-16T09:30:00.000Z',
    firstResponseDueAt: new Date('2026-01-21T09:30:00.000Z'),
    timeZone: TZ,
    channel: 'email',
    publiclyKnown: false,
  };

  it('names the case, the channel and the deadline in the project zone', () => {
    const mail = render('report-received.team', params);
    expect(mail.subject).toBe('[Vigil] [Contour] VGL-2026-0042: new report');
    expect(mail.flatText).toContain(
      'A new security report for Contour arrived through email on Fri 16 Jan 2026, 10:30 CET (Europe/Berlin). It is case VGL-2026-0042.',
    );
    expect(mail.flatText).toContain('due by Wed 21 Jan 2026, 10:30 CET (Europe/Berlin)');
    expect(mail.text).toContain(`\n${LINK}\n`);
    expect(mail.flatText).toContain('the automatic receipt does not count');
    expect(mail.flatText).toContain('security team of Contour');
  });

  it('says "as soon as possible" and flags urgency for a public report', () => {
    const mail = render('report-received.team', { ...params, publiclyKnown: true, firstResponseDueAt: null });
    expect(mail.subject).toBe('[Vigil] [Contour] VGL-2026-0042: new report, said to be public already');
    expect(mail.flatText).toContain('due as soon as possible');
    expect(mail.flatText).toContain('can still be handled privately');
  });

  it('refuses report content', () => expectRefusesReportContent('report-received.team', params));
});

describe('report-received.reporter', () => {
  const params: MailParams<'report-received.reporter'> = {
    ...base,
    link: REPORTER_LINK,
    responseDueAt: '2026-01-21T09:30:00Z',
    timeZone: TZ,
    replyByMail: true,
  };

  it('is an automatic receipt that says when a person will answer', () => {
    const mail = render('report-received.reporter', params);
    expect(mail.subject).toBe('[Contour security] Your report VGL-2026-0042: received');
    expect(mail.flatText).toMatch(/^This is an automatic receipt\./);
    expect(mail.flatText).toContain(
      'A person from the team will answer you by Wed 21 Jan 2026, 10:30 CET (Europe/Berlin).',
    );
    expect(mail.text).toContain(`\n${REPORTER_LINK}\n`);
    expect(mail.flatText).toContain('or by replying to this mail');
    expect(mail.flatText).toContain('do not forward this mail');
  });

  it('says "as soon as possible" without a deadline, and that replies are not read without inbound mail', () => {
    const mail = render('report-received.reporter', { ...params, responseDueAt: null, replyByMail: false });
    expect(mail.flatText).toContain('will answer you as soon as possible.');
    expect(mail.flatText).toContain('replies to this mail are not read');
  });

  it('says a held report waits for the reporter’s confirmation, and gives its link', () => {
    const confirmLink = 'https://vigil.example.org/confirm-report#0190d7c5.abc';
    const mail = render('report-received.reporter', { ...params, confirmLink });
    expect(mail.flatText).toContain('held until you confirm');
    expect(mail.text).toContain(`\n${confirmLink}`);
    expect(mail.flatText).not.toContain('will answer you by');
    expect(() =>
      render('report-received.reporter', { ...params, confirmLink: 'javascript:alert(1)' }),
    ).toThrow(/confirmLink/);
  });

  it('refuses report content', () => expectRefusesReportContent('report-received.reporter', params));
});

describe('message.reporter', () => {
  const params: MailParams<'message.reporter'> = { ...base, link: REPORTER_LINK, replyByMail: true };

  it('says the team wrote, without the message', () => {
    const mail = render('message.reporter', params);
    expect(mail.subject).toBe(
      '[Contour security] Your report VGL-2026-0042: new message from the security team',
    );
    expect(mail.flatText).toContain(
      'The security team of Contour has written to you about your report VGL-2026-0042.',
    );
    expect(mail.flatText).toContain('the message is not in this mail');
    expect(mail.text).toContain(`\n${REPORTER_LINK}\n`);
  });

  it('refuses report content', () => expectRefusesReportContent('message.reporter', params));
});

describe('message.team', () => {
  const params: MailParams<'message.team'> = { ...base, link: LINK };

  it('says the reporter wrote, with the case link', () => {
    const mail = render('message.team', params);
    expect(mail.subject).toBe('[Vigil] [Contour] VGL-2026-0042: new message from the reporter');
    expect(mail.flatText).toContain('The reporter of case VGL-2026-0042 (Contour) has written to the team.');
    expect(mail.text).toContain(`\n${LINK}\n`);
  });

  it('refuses report content', () => expectRefusesReportContent('message.team', params));
});

describe('transition.reporter', () => {
  const params: MailParams<'transition.reporter'> = {
    ...base,
    link: REPORTER_LINK,
    state: 'rejected',
    replyByMail: false,
  };

  it.each([
    ['accepted', 'accepted as a vulnerability', 'confirmed that your report describes a vulnerability'],
    ['rejected', 'not accepted', "Their reason is on your report's page."],
    ['duplicate', 'already reported', 'from an earlier report'],
    ['not-security', 'not a security issue', "the project's public issue tracker"],
    ['needs-info', 'more information needed', "Their question is on your report's page."],
  ] as const)('%s: says it in plain words and points to the link', (state, what, says) => {
    const mail = render('transition.reporter', { ...params, state });
    expect(mail.subject).toBe(`[Contour security] Your report VGL-2026-0042: ${what}`);
    expect(mail.flatText).toContain(
      `The status of your report VGL-2026-0042 to Contour has changed: ${what}.`,
    );
    expect(mail.flatText).toContain(says);
    expect(mail.text).toContain(`\n${REPORTER_LINK}\n`);
  });

  it('refuses a state the reporter is not told about', () => {
    expect(() => renderMail('transition.reporter', { ...params, state: 'fixing' as 'accepted' })).toThrow(
      /state/,
    );
  });

  it('refuses report content, the rejection reason above all', () =>
    expectRefusesReportContent('transition.reporter', params));
});

describe('reminder.team', () => {
  const params: MailParams<'reminder.team'> = {
    ...base,
    link: LINK,
    dueAt: '2026-01-21T09:30:00Z',
    now: '2026-01-20T05:00:00Z',
    timeZone: TZ,
    elapsedPercent: 80,
  };

  it('says how much time has gone and when the response is due', () => {
    const mail = render('reminder.team', params);
    expect(mail.subject).toBe('[Vigil] [Contour] VGL-2026-0042: first response due in 1 day 4 hours');
    expect(mail.flatText).toContain('80% of the time for the first response has gone');
    expect(mail.flatText).toContain(
      'The first response is due in 1 day 4 hours, by Wed 21 Jan 2026, 10:30 CET (Europe/Berlin).',
    );
    expect(mail.text).toContain(`\n${LINK}\n`);
  });

  it('says "due now" when sent at or after the deadline', () => {
    const mail = render('reminder.team', { ...params, now: params.dueAt, elapsedPercent: 50 });
    expect(mail.subject).toBe('[Vigil] [Contour] VGL-2026-0042: first response due now');
    expect(mail.flatText).toContain('50% of the time');
  });

  it('refuses other percentages', () => {
    expect(() => renderMail('reminder.team', { ...params, elapsedPercent: 90 as 80 })).toThrow(
      /elapsedPercent/,
    );
  });

  it('refuses report content', () => expectRefusesReportContent('reminder.team', params));
});

describe('escalation.team', () => {
  const params: MailParams<'escalation.team'> = {
    ...base,
    link: LINK,
    dueAt: '2026-01-21T09:30:00Z',
    now: '2026-01-21T12:45:00Z',
    timeZone: 'UTC',
  };

  it('says the response is overdue and by how much', () => {
    const mail = render('escalation.team', params);
    expect(mail.subject).toBe('[Vigil] [Contour] VGL-2026-0042: first response overdue');
    expect(mail.flatText).toContain('was due by Wed 21 Jan 2026, 09:30 UTC (UTC), 3 hours 15 minutes ago.');
    expect(mail.flatText).toContain('every member of the security team');
    expect(mail.text).toContain(`\n${LINK}\n`);
  });

  it('says a public issue was due as soon as possible, not "by" the instant it arrived', () => {
    const mail = render('escalation.team', { ...params, publiclyKnown: true });
    expect(mail.flatText).toContain(
      'is said to be public already, so the first response to the reporter was due as soon as possible; it has waited 3 hours 15 minutes since Wed 21 Jan 2026, 09:30 UTC (UTC).',
    );
    expect(mail.flatText).not.toContain('was due by');
  });

  it('refuses report content', () => expectRefusesReportContent('escalation.team', params));
});

describe('undecryptable.team', () => {
  const params: MailParams<'undecryptable.team'> = {
    projectName: 'Contour',
    link: 'https://vigil.example.org/p/contour/inbox',
    receivedAt: '2026-01-16T09:30:00Z',
    timeZone: TZ,
    problem: 'cannot-decrypt',
  };

  it('says a mail was kept though it could not be decrypted', () => {
    const mail = render('undecryptable.team', params);
    expect(mail.subject).toBe('[Vigil] [Contour] mail could not be decrypted');
    expect(mail.flatText).toContain(
      "received on Fri 16 Jan 2026, 10:30 CET (Europe/Berlin), could not be decrypted with the project's OpenPGP key.",
    );
    expect(mail.flatText).toContain('It was kept whole and flagged; nothing was dropped.');
  });

  it('names the case it was filed under, and the parse problem', () => {
    const mail = render('undecryptable.team', {
      ...params,
      caseHumanId: 'VGL-2026-0042',
      problem: 'cannot-parse',
    });
    expect(mail.subject).toBe('[Vigil] [Contour] VGL-2026-0042: mail could not be read');
    expect(mail.flatText).toContain('could not be parsed');
    expect(mail.flatText).toContain('kept whole and flagged in case VGL-2026-0042;');
  });

  it('refuses report content', () => expectRefusesReportContent('undecryptable.team', params));
});

describe('invitation.member', () => {
  const SIGN_IN_LINK =
    'https://vigil.example.org/sign-in/link#token=sil_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg';
  const params = { projectName: 'Contour', link: SIGN_IN_LINK, newAccount: true };

  it('names the project and the link, never a case, and says the terms come first', () => {
    const mail = render('invitation.member', params);
    expect(mail.subject).toBe('[Vigil] [Contour] You are invited to help with a security issue');
    expect(mail.text).toContain(SIGN_IN_LINK);
    expect(mail.flatText).toContain('Choose your password with this one-time link');
    expect(mail.flatText).toContain('only after you accept the embargo terms');
    expect(mail.text).not.toMatch(/VGL-|CVE-/);
  });

  it('sends an existing account to its invitations', () => {
    const mail = render('invitation.member', {
      ...params,
      link: 'https://vigil.example.org/invitations',
      newAccount: false,
    });
    expect(mail.flatText).toContain('Sign in to Vigil and open your invitations');
    expect(mail.flatText).not.toContain('password');
  });

  it('refuses report content, and a case id', () => {
    expectRefusesReportContent('invitation.member', params);
    expect(() =>
      renderMail('invitation.member', {
        ...params,
        caseHumanId: 'VGL-2026-0042',
      } as MailParams<'invitation.member'>),
    ).toThrow(/unknown field\(s\) caseHumanId/);
  });
});

describe('phase-reminder.team', () => {
  const params: MailParams<'phase-reminder.team'> = {
    ...base,
    link: LINK,
    phase: 'fix-developed',
    dueAt: '2026-01-21T09:30:00Z',
    now: '2026-01-20T05:00:00Z',
    timeZone: TZ,
  };

  it('tells the Fix Lead which phase is due and when', () => {
    const mail = render('phase-reminder.team', params);
    expect(mail.subject).toBe('[Vigil] [Contour] VGL-2026-0042: fix developed due in 1 day 4 hours');
    expect(mail.flatText).toContain(
      'You lead case VGL-2026-0042 of Contour. Its phase "Fix developed" is due in 1 day 4 hours, by Wed 21 Jan 2026, 10:30 CET (Europe/Berlin), and is not done yet.',
    );
    expect(mail.text).toContain(`\n${LINK}\n`);
  });

  it('refuses a phase that is not one of the clocks', () => {
    expect(() =>
      renderMail('phase-reminder.team', { ...params, phase: 'SECRET-TITLE' as 'release' }),
    ).toThrow(/phase/);
  });

  it('refuses report content', () => expectRefusesReportContent('phase-reminder.team', params));
});

describe('phase-escalation.team', () => {
  const params: MailParams<'phase-escalation.team'> = {
    ...base,
    link: LINK,
    phase: 'release',
    dueAt: '2026-01-21T09:30:00Z',
    now: '2026-01-21T12:45:00Z',
    timeZone: 'UTC',
  };

  it('tells the whole team the phase is overdue and by how much', () => {
    const mail = render('phase-escalation.team', params);
    expect(mail.subject).toBe('[Vigil] [Contour] VGL-2026-0042: release overdue');
    expect(mail.flatText).toContain(
      'The phase "Release" of case VGL-2026-0042 (Contour) was due by Wed 21 Jan 2026, 09:30 UTC (UTC), 3 hours 15 minutes ago, and is not done.',
    );
    expect(mail.flatText).toContain('every member of the security team');
  });

  it('refuses report content', () => expectRefusesReportContent('phase-escalation.team', params));
});

describe('the distributors list', () => {
  const SECTION = 'https://vigil.example.org/projects/contour#distributors-heading';

  it('asks a member to vouch with the project and the link alone', () => {
    const link = 'https://vigil.example.org/vouches/0b6f6f0e-8d6c-4c55-9f1e-2d8a7d6f3a11';
    const mail = render('distributors.vouch-request', { projectName: 'Contour', link });
    expect(mail.subject).toBe('[Vigil] [Contour] An applicant to the distributors list asks you to vouch');
    expect(mail.text).toContain(`\n${link}\n`);
    expectRefusesReportContent('distributors.vouch-request', { projectName: 'Contour', link });
  });

  it('welcomes a person with a one-time link, or to their account page', () => {
    const link =
      'https://vigil.example.org/sign-in/link#token=sil_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg';
    const fresh = render('distributors.welcome', { projectName: 'Contour', link, newAccount: true });
    expect(fresh.flatText).toContain('Choose your password with this one-time link');
    expect(fresh.flatText).toContain('accept the embargo policy');
    const known = render('distributors.welcome', {
      projectName: 'Contour',
      link: 'https://vigil.example.org/account',
      newAccount: false,
    });
    expect(known.flatText).toContain('Sign in to Vigil and open your account page');
    expectRefusesReportContent('distributors.welcome', { projectName: 'Contour', link, newAccount: true });
  });

  it("tells a refused applicant the team's reason, bounded", () => {
    const mail = render('distributors.refused', {
      projectName: 'Contour',
      refusalReason: 'Your distribution rebuilds another member’s packages (criterion 4).',
    });
    expect(mail.flatText).toContain('rebuilds another member’s packages (criterion 4).');
    expect(() =>
      renderMail('distributors.refused', { projectName: 'Contour', refusalReason: 'x'.repeat(2001) }),
    ).toThrow(/refusalReason/);
    expectRefusesReportContent('distributors.refused', { projectName: 'Contour', refusalReason: 'No.' });
  });

  it('tells the team what happened and links the list, with the due instant of a review', () => {
    const params = { projectName: 'Contour', link: SECTION, timeZone: TZ } as const;
    const leak = render('distributors.team', { ...params, notice: 'leak-reported' });
    expect(leak.subject).toBe('[Vigil] [Contour] a leak was reported');
    expect(leak.text).toContain(`\n${SECTION}\n`);
    const review = render('distributors.team', {
      ...params,
      notice: 'review-due',
      dueAt: '2027-11-23T09:00:00Z',
    });
    expect(review.flatText).toContain('It was due by Tue 23 Nov 2027, 10:00 CET (Europe/Berlin).');
    expectRefusesReportContent('distributors.team', { ...params, notice: 'application-received' });
  });
});

describe('members.team', () => {
  it('tells the team its membership changed, with the link, never who', () => {
    const SECTION = 'https://vigil.example.org/projects/contour#team-heading';
    const params = { projectName: 'Contour', link: SECTION } as const;
    const requested = render('members.team', { ...params, notice: 'requested' });
    expect(requested.subject).toBe('[Vigil] [Contour] a request to join the security team');
    expect(requested.flatText).toContain('Nobody joins until another current member approves');
    expect(requested.text).toContain(`\n${SECTION}\n`);
    expect(render('members.team', { ...params, notice: 'added' }).subject).toBe(
      '[Vigil] [Contour] a member joined the security team',
    );
    expect(render('members.team', { ...params, notice: 'removed' }).flatText).toContain('was removed');
    expect(render('members.team', { ...params, notice: 'declined' }).flatText).toContain('nobody was added');
    expectRefusesReportContent('members.team', { ...params, notice: 'added' });
  });
});

describe('account.security', () => {
  const ACCOUNT = 'https://vigil.example.org/account';
  const params = { link: ACCOUNT, changedAt: '2026-01-21T09:30:00Z' } as const;

  it('tells the holder what changed and when in UTC, with the Account page and what to do if it was not them', () => {
    const on = render('account.security', { ...params, change: 'totp-enabled' });
    expect(on.subject).toBe('[Vigil] Your account: two-factor sign-in with a code was turned on');
    expect(on.flatText).toContain('(TOTP) was turned on for your account');
    expect(on.flatText).toContain('When: Wed 21 Jan 2026, 09:30 UTC (UTC).');
    expect(on.flatText).toContain(
      'If this was not you, sign in and change your password, or ask an administrator of this Vigil instance to disable your account.',
    );
    expect(on.text).toContain(`\n${ACCOUNT}\n`);
    const subjects = new Set<string>();
    for (const change of ACCOUNT_SECURITY_CHANGES) {
      const mail = render('account.security', { ...params, change });
      expect(mail.flatText).toContain('If this was not you');
      expect(mail.flatText).not.toMatch(/recovery codes? left/);
      subjects.add(mail.subject);
    }
    expect(subjects.size).toBe(ACCOUNT_SECURITY_CHANGES.length);
  });

  it('says how many recovery codes are left', () => {
    const used = render('account.security', {
      ...params,
      change: 'recovery-code-used',
      recoveryCodesLeft: 7,
    });
    expect(used.subject).toBe('[Vigil] Your account: a recovery code was used to sign in');
    expect(used.flatText).toContain('You have 7 unused recovery codes left.');
    expect(
      render('account.security', { ...params, change: 'recovery-code-used', recoveryCodesLeft: 1 }).flatText,
    ).toContain('You have 1 unused recovery code left.');
  });

  it('refuses free text: a device name, a code, an address', () => {
    for (const extra of [{ name: 'SECRET laptop' }, { code: '123456' }, { ip: '203.0.113.9' }]) {
      expect(() =>
        renderMail('account.security', { ...params, change: 'passkey-added', ...extra } as never),
      ).toThrow(/unknown field/);
    }
    expect(() => renderMail('account.security', { ...params, change: 'SECRET' } as never)).toThrow(/change/);
    expectRefusesReportContent('account.security', { ...params, change: 'passkey-removed' });
  });
});

describe('disclosure-date.team', () => {
  it('says what happened to the date, with the case link, never the date or the words', () => {
    for (const event of ['proposed', 'responded', 'decided', 'feedback'] as const) {
      const mail = render('disclosure-date.team', { ...base, link: LINK, event });
      expect(mail.subject).toMatch(/^\[Vigil\] \[Contour\] VGL-2026-0042: /);
      expect(mail.flatText).toContain(LINK);
    }
    expect(render('disclosure-date.team', { ...base, link: LINK, event: 'decided' }).subject).toBe(
      '[Vigil] [Contour] VGL-2026-0042: disclosure date decided',
    );
  });

  it('refuses report content', () =>
    expectRefusesReportContent('disclosure-date.team', { ...base, link: LINK, event: 'proposed' }));
});

describe('disclosure-date.reporter', () => {
  it('asks the reporter to answer a proposal at the private link', () => {
    const mail = render('disclosure-date.reporter', { ...base, link: REPORTER_LINK, event: 'proposed' });
    expect(mail.subject).toBe('[Contour security] Your report VGL-2026-0042: a disclosure date is proposed');
    expect(mail.flatText).toContain('accept it, object with a reason, or propose another date');
    expect(mail.text).toContain(REPORTER_LINK);
  });

  it('says the date is set', () => {
    const mail = render('disclosure-date.reporter', { ...base, link: REPORTER_LINK, event: 'decided' });
    expect(mail.subject).toContain('the disclosure date is set');
  });

  it('refuses report content', () =>
    expectRefusesReportContent('disclosure-date.reporter', {
      ...base,
      link: REPORTER_LINK,
      event: 'decided',
    }));
});

describe('disclosure-date.distributor', () => {
  const params = { projectName: 'Contour', link: 'https://vigil.example.org/portal/cases/VGL-2026-0042' };

  it('names the project and the portal, not the case', () => {
    const mail = render('disclosure-date.distributor', { ...params, event: 'proposed' });
    expect(mail.subject).toBe('[Vigil] [Contour] A disclosure date is proposed');
    expect(mail.flatText).toContain('distributors list of Contour');
    expect(render('disclosure-date.distributor', { ...params, event: 'decided' }).subject).toBe(
      '[Vigil] [Contour] The disclosure date is set',
    );
  });

  it('refuses report content, and a case id', () => {
    expectRefusesReportContent('disclosure-date.distributor', { ...params, event: 'proposed' });
    const withCase = { ...params, event: 'proposed', caseHumanId: 'VGL-2026-0042' } as const;
    // The distributors' mail names no case (a variable: TypeScript checks excess keys of literals only).
    expect(() => renderMail('disclosure-date.distributor', withCase)).toThrow(
      /unknown field\(s\) caseHumanId/,
    );
  });
});

describe('publication-held.team', () => {
  const params: MailParams<'publication-held.team'> = {
    ...base,
    link: LINK,
    dueAt: '2026-12-01T15:00:00Z',
    timeZone: 'Europe/Berlin',
    blockers: 2,
    retryMinutes: 15,
  };

  it('says the publication is held, how many blockers remain and that Vigil retries', () => {
    const mail = render('publication-held.team', params);
    expect(mail.subject).toBe('[Vigil] [Contour] VGL-2026-0042: publication held');
    expect(mail.flatText).toContain(
      'Case VGL-2026-0042 (Contour) was to be published at Tue 1 Dec 2026, 16:00 CET (Europe/Berlin), and its publication is held: 2 blockers remain',
    );
    expect(mail.flatText).toContain('Vigil tries again every 15 minutes');
    expect(mail.text).toContain(LINK);
    expect(render('publication-held.team', { ...params, blockers: 1 }).flatText).toContain(
      'one blocker remains',
    );
  });

  it('refuses report content', () => expectRefusesReportContent('publication-held.team', params));
});

describe('releases-out.distributor', () => {
  const params: MailParams<'releases-out.distributor'> = {
    projectName: 'Contour',
    advisoryId: 'CTR-ADV-2026-0001',
    cveId: 'CVE-2026-12345',
    releases: ['1.27.9', '1.28.4'],
    link: 'https://vigil.example.org/p/contour/advisories/CTR-ADV-2026-0001',
    publishedAt: '2026-12-01T15:00:00Z',
    timeZone: 'UTC',
  };

  it('tells distributors the releases are out, with the public advisory', () => {
    const mail = renderMail('releases-out.distributor', params);
    expect(mail.subject).toBe('[Contour security] Releases are out: CTR-ADV-2026-0001 (CVE-2026-12345)');
    const text = flat(mail.text);
    expect(text).toContain('The embargo on CTR-ADV-2026-0001 (CVE-2026-12345) has ended');
    expect(text).toContain('The releases with the fix are out: 1.27.9, 1.28.4.');
    expect(mail.text).toContain(params.link);
    expect(mail.text).toMatch(/\n-- \nYou receive this because you are on the Contour distributors list/);
    const noCve = renderMail('releases-out.distributor', { ...params, cveId: null, releases: [] });
    expect(noCve.subject).toBe('[Contour security] Releases are out: CTR-ADV-2026-0001');
    expect(flat(noCve.text)).toContain('The fix is public.');
  });

  it('fits the versions it is given: those it cannot name left out, at most 50, the rest counted', () => {
    const many = Array.from({ length: 60 }, (_, i) => `1.${i}.0`);
    expect(fitReleases(['1.28.4', '1:2.3-4', '2.0 beta'])).toEqual({ releases: ['1.28.4'], omitted: 2 });
    const fitted = fitReleases(many);
    expect(fitted).toEqual({ releases: many.slice(0, 50), omitted: 10 });
    const text = flat(renderMail('releases-out.distributor', { ...params, ...fitted }).text);
    expect(text).toContain('1.49.0, and 10 more listed in the advisory.');
    expect(
      flat(renderMail('releases-out.distributor', { ...params, ...fitReleases(['1:2.3-4']) }).text),
    ).toContain('The releases with the fix are out: the advisory lists them.');
  });

  it('refuses anything but ids and versions in its fields', () => {
    expect(() =>
      renderMail('releases-out.distributor', { ...params, releases: ['1.2.3 SECRET-TITLE'] }),
    ).toThrow(/releases\.0/);
    expect(() => renderMail('releases-out.distributor', { ...params, advisoryId: 'SECRET-TITLE' })).toThrow(
      /advisoryId/,
    );
  });

  it('refuses report content', () => {
    for (const [key, value] of Object.entries(SECRETS)) {
      expect(() =>
        renderMail('releases-out.distributor', {
          ...params,
          [key]: value,
        } as MailParams<'releases-out.distributor'>),
      ).toThrow(`unknown field(s) ${key}`);
    }
  });
});

describe('digest.team', () => {
  it('lists each notification as project, case id, kind of event and link, never content', () => {
    const NOTIFICATIONS = 'https://vigil.example.org/notifications';
    const mail = render('digest.team', {
      link: NOTIFICATIONS,
      items: [
        { projectName: 'Contour', caseHumanId: 'VGL-2026-0042', event: 'report-received.team', link: LINK },
        { projectName: 'Contour', caseHumanId: null, event: 'members.team', link: NOTIFICATIONS },
      ],
      omitted: 3,
    });
    expect(mail.subject).toBe('[Vigil] Your daily digest: 5 notifications');
    expect(mail.text).toContain(`- [Contour] VGL-2026-0042: a new report\n${LINK}\n`);
    expect(mail.text).toContain('- [Contour]: security team membership');
    expect(mail.flatText).toContain('And 3 more.');
    expect(() =>
      render('digest.team', {
        link: NOTIFICATIONS,
        items: [
          {
            projectName: 'Contour',
            caseHumanId: null,
            event: 'members.team',
            link: LINK,
            subject: SECRETS.subject,
          },
        ],
        omitted: 0,
      } as never),
    ).toThrow(/unknown field/);
  });
});
