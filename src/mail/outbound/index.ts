/** Outbound mail: the mailer, reply addresses and Message-IDs. Templates are in ../templates. */
export {
  bareAddress,
  caseCandidatesFromThread,
  caseHeaders,
  caseIdFromMessageId,
  caseReplyAddress,
  findCaseReplyAddress,
  messageIdsIn,
  normalizeReplyDomain,
  parseCaseReplyAddress,
  vigilMessageId,
} from './addressing.js';
export {
  MAIL_LIMITS,
  MailError,
  cleanSubject,
  createMailer,
  mailSettingsFromEnv,
  parseSmtpUrl,
  validateOutboundMail,
  type Mailer,
  type MailerConfig,
  type OutboundMail,
  type SendResult,
} from './mailer.js';
