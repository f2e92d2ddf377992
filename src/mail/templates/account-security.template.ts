/**
 * To a person, at their account's own address, when a sign-in factor of their account changes
 * (OWASP ASVS 2.2.3, 2.5.x): TOTP turned on or off, a recovery code used, a passkey added or
 * removed, the password changed or set through a sign-in link, an OpenID Connect account linked.
 * Someone who has the password must not quietly add their own second factor or remove the
 * person's. The kind of change, the instant in UTC and a link to the Account page: never codes,
 * secrets, names of devices, IP addresses.
 */
import { z } from 'zod';
import { formatInstant } from '../../lib/format-instant.js';
import { body, instantParam, linkParam, parseParams, type RenderedMail } from './template-kit.js';

export const ACCOUNT_SECURITY_CHANGES = [
  'totp-enabled',
  'totp-disabled',
  'recovery-code-used',
  'passkey-added',
  'passkey-removed',
  'password-changed',
  'password-set-by-link',
  'oidc-linked',
] as const;
export type AccountSecurityChange = (typeof ACCOUNT_SECURITY_CHANGES)[number];

export const accountSecurityParams = z.strictObject({
  /** The Account page in Vigil. */
  link: linkParam,
  /** What changed: a name from the list, never free text. */
  change: z.enum(ACCOUNT_SECURITY_CHANGES),
  /** When it changed (said in UTC). */
  changedAt: instantParam,
  /** For `recovery-code-used`: how many unused recovery codes are left (a count). */
  recoveryCodesLeft: z.number().int().min(0).max(100).optional(),
});
export type AccountSecurityParams = z.input<typeof accountSecurityParams>;

const WHAT: Record<AccountSecurityChange, { subject: string; text: string }> = {
  'totp-enabled': {
    subject: 'two-factor sign-in with a code was turned on',
    text: 'Two-factor sign-in with an authenticator app (TOTP) was turned on for your account, with new recovery codes.',
  },
  'totp-disabled': {
    subject: 'two-factor sign-in with a code was turned off',
    text: 'Two-factor sign-in with an authenticator app (TOTP) was turned off for your account, and its recovery codes were removed.',
  },
  'recovery-code-used': {
    subject: 'a recovery code was used to sign in',
    text: 'One of your recovery codes was used to sign in to your account. Each code works once.',
  },
  'passkey-added': {
    subject: 'a passkey was added',
    text: 'A passkey was added to your account: it can now be used to sign in.',
  },
  'passkey-removed': {
    subject: 'a passkey was removed',
    text: 'A passkey was removed from your account.',
  },
  'password-changed': {
    subject: 'your password was changed',
    text: 'The password of your account was changed.',
  },
  'password-set-by-link': {
    subject: 'your password was set through a sign-in link',
    text: 'The password of your account was set through a one-time sign-in link.',
  },
  'oidc-linked': {
    subject: 'an OpenID Connect account was linked',
    text: "An account at this instance's OpenID Connect provider was linked to your account: it can now be used to sign in.",
  },
};

export const NOT_YOU =
  'If this was not you, sign in and change your password, or ask an administrator of this Vigil ' +
  'instance to disable your account.';

/** Renders `account.security`. */
export function renderAccountSecurity(params: AccountSecurityParams): RenderedMail {
  const p = parseParams('account.security', accountSecurityParams, params);
  const what = WHAT[p.change];
  const left =
    p.change === 'recovery-code-used' && p.recoveryCodesLeft !== undefined
      ? `You have ${p.recoveryCodesLeft} unused recovery code${p.recoveryCodesLeft === 1 ? '' : 's'} left.`
      : undefined;
  return {
    subject: `[Vigil] Your account: ${what.subject}`,
    text: body(
      [
        `${what.text} When: ${formatInstant(p.changedAt, 'UTC', 'short')}.`,
        left,
        NOT_YOU,
        `See your sign-in methods on your Account page:\n${p.link}`,
      ],
      'You receive this because this address is the sign-in address of your Vigil account. ' +
        'This mail is sent for every change to how you sign in; it never contains codes or secrets.',
    ),
  };
}
