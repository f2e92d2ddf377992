/**
 * The mail templates: one module per kind of message, each a pure function from typed, strictly
 * checked parameters to `{ subject, text }`. A notification never carries report content (its
 * subject, body, the reporter's identity, the team's reasons): only the project's name, the case's
 * id, the state in plain words, deadlines and a link.
 */
import { accountSecurityParams, renderAccountSecurity } from './account-security.template.js';
import { distributorsRefusedParams, renderDistributorsRefused } from './distributors-refused.template.js';
import { distributorsTeamParams, renderDistributorsTeam } from './distributors-team.template.js';
import {
  distributorsVouchRequestParams,
  renderDistributorsVouchRequest,
} from './distributors-vouch-request.template.js';
import { distributorsWelcomeParams, renderDistributorsWelcome } from './distributors-welcome.template.js';
import {
  disclosureDateDistributorParams,
  renderDisclosureDateDistributor,
} from './disclosure-date-distributor.template.js';
import {
  disclosureDateReporterParams,
  renderDisclosureDateReporter,
} from './disclosure-date-reporter.template.js';
import { disclosureDateTeamParams, renderDisclosureDateTeam } from './disclosure-date-team.template.js';
import { digestTeamParams, renderDigestTeam } from './digest-team.template.js';
import { escalationTeamParams, renderEscalationTeam } from './escalation-team.template.js';
import { invitationMemberParams, renderInvitationMember } from './invitation-member.template.js';
import { membersTeamParams, renderMembersTeam } from './members-team.template.js';
import { messageReporterParams, renderMessageReporter } from './message-reporter.template.js';
import { messageTeamParams, renderMessageTeam } from './message-team.template.js';
import { phaseEscalationTeamParams, renderPhaseEscalationTeam } from './phase-escalation-team.template.js';
import { phaseReminderTeamParams, renderPhaseReminderTeam } from './phase-reminder-team.template.js';
import { publicationHeldTeamParams, renderPublicationHeldTeam } from './publication-held-team.template.js';
import {
  releasesOutDistributorParams,
  renderReleasesOutDistributor,
} from './releases-out-distributor.template.js';
import { reminderTeamParams, renderReminderTeam } from './reminder-team.template.js';
import {
  renderReportReceivedReporter,
  reportReceivedReporterParams,
} from './report-received-reporter.template.js';
import { renderReportReceivedTeam, reportReceivedTeamParams } from './report-received-team.template.js';
import type { MailAudience, RenderedMail } from './template-kit.js';
import { renderTransitionReporter, transitionReporterParams } from './transition-reporter.template.js';
import { renderUndecryptableTeam, undecryptableTeamParams } from './undecryptable-team.template.js';

/** Each kind: who receives it, its parameter schema (for job payloads) and its renderer. */
export const MAIL_TEMPLATES = {
  'report-received.team': {
    audience: 'team',
    params: reportReceivedTeamParams,
    render: renderReportReceivedTeam,
  },
  'report-received.reporter': {
    audience: 'reporter',
    params: reportReceivedReporterParams,
    render: renderReportReceivedReporter,
  },
  'message.reporter': { audience: 'reporter', params: messageReporterParams, render: renderMessageReporter },
  'message.team': { audience: 'team', params: messageTeamParams, render: renderMessageTeam },
  'transition.reporter': {
    audience: 'reporter',
    params: transitionReporterParams,
    render: renderTransitionReporter,
  },
  'reminder.team': { audience: 'team', params: reminderTeamParams, render: renderReminderTeam },
  'escalation.team': { audience: 'team', params: escalationTeamParams, render: renderEscalationTeam },
  'undecryptable.team': {
    audience: 'team',
    params: undecryptableTeamParams,
    render: renderUndecryptableTeam,
  },
  'invitation.member': {
    audience: 'invitee',
    params: invitationMemberParams,
    render: renderInvitationMember,
  },
  'phase-reminder.team': {
    audience: 'team',
    params: phaseReminderTeamParams,
    render: renderPhaseReminderTeam,
  },
  'phase-escalation.team': {
    audience: 'team',
    params: phaseEscalationTeamParams,
    render: renderPhaseEscalationTeam,
  },
  'distributors.vouch-request': {
    audience: 'invitee',
    params: distributorsVouchRequestParams,
    render: renderDistributorsVouchRequest,
  },
  'distributors.welcome': {
    audience: 'invitee',
    params: distributorsWelcomeParams,
    render: renderDistributorsWelcome,
  },
  'distributors.refused': {
    audience: 'invitee',
    params: distributorsRefusedParams,
    render: renderDistributorsRefused,
  },
  'distributors.team': {
    audience: 'team',
    params: distributorsTeamParams,
    render: renderDistributorsTeam,
  },
  'disclosure-date.team': {
    audience: 'team',
    params: disclosureDateTeamParams,
    render: renderDisclosureDateTeam,
  },
  'disclosure-date.reporter': {
    audience: 'reporter',
    params: disclosureDateReporterParams,
    render: renderDisclosureDateReporter,
  },
  'disclosure-date.distributor': {
    audience: 'invitee',
    params: disclosureDateDistributorParams,
    render: renderDisclosureDateDistributor,
  },
  'publication-held.team': {
    audience: 'team',
    params: publicationHeldTeamParams,
    render: renderPublicationHeldTeam,
  },
  'releases-out.distributor': {
    audience: 'distributor',
    params: releasesOutDistributorParams,
    render: renderReleasesOutDistributor,
  },
  'members.team': {
    audience: 'team',
    params: membersTeamParams,
    render: renderMembersTeam,
  },
  'account.security': {
    audience: 'account',
    params: accountSecurityParams,
    render: renderAccountSecurity,
  },
  'digest.team': {
    audience: 'team',
    params: digestTeamParams,
    render: renderDigestTeam,
  },
} as const satisfies Record<
  string,
  { audience: MailAudience; params: unknown; render: (p: never) => RenderedMail }
>;

export type MailKind = keyof typeof MAIL_TEMPLATES;
export const MAIL_KINDS = Object.keys(MAIL_TEMPLATES) as MailKind[];
/** The parameters of one kind, as a caller passes them (instants as Date or ISO text). */
export type MailParams<K extends MailKind> = Parameters<(typeof MAIL_TEMPLATES)[K]['render']>[0];

/** Renders a mail of `kind`; throws (naming fields, never values) when the parameters do not fit. */
export function renderMail<K extends MailKind>(kind: K, params: MailParams<K>): RenderedMail {
  const render = MAIL_TEMPLATES[kind].render as (p: MailParams<K>) => RenderedMail;
  return render(params);
}

/**
 * Whether a kind of mail goes to the security team, the reporter, someone invited to a case, a
 * distributor, or the holder of an account.
 */
export function mailAudience(kind: MailKind): MailAudience {
  return MAIL_TEMPLATES[kind].audience;
}
