/**
 * One person's copy of a notice: the send's layout with the copy's choices, the reference code in
 * the subject and on the first line, the invisible marks, and, for a person with a key, the mail that
 * carries it encrypted. Pure but for the OpenPGP call.
 */
import { ValidationError } from '../../../lib/errors.js';
import { applyChoices, markPlaces, type Layout } from './copy-variations.js';
import { encryptForRecipient } from './recipient-keys.js';
import type * as openpgp from 'openpgp';
import { invisibleMark } from './reference-code.js';

/** Marks per copy: enough that a partial copy keeps one, few enough to stay out of the way. */
const MARKS = 3;

export interface CopyText {
  subject: string;
  body: string;
}

/** The copy's text: the chosen variants, the reference line first, the marks spread over the prose. */
export function composeCopy(
  layout: Layout,
  choices: readonly number[],
  code: string,
  recipient: { name: string; orgName: string },
  keepVerbatim: readonly string[],
): CopyText {
  let body = applyChoices(layout, choices);
  for (const at of markPlaces(body, MARKS, keepVerbatim).reverse()) {
    body = body.slice(0, at) + invisibleMark(code) + body.slice(at);
  }
  const reference =
    `Reference ${code}. This copy was prepared for ${recipient.name} (${recipient.orgName}) alone: ` +
    'please do not forward it.';
  return { subject: `${layout.subject} [${code}]`, body: `${reference}\n\n${body}` };
}

/** Refuses a copy that names the advisory's CVE id (PROCESS.md §7), whatever put it there. */
export function refuseCveId(copy: CopyText, cveId: string | null): void {
  if (!cveId) return;
  const id = cveId.toUpperCase();
  const issues = (['subject', 'body'] as const)
    .filter((f) => copy[f].toUpperCase().includes(id))
    .map((path) => ({ path, message: "contains the advisory's CVE id" }));
  if (issues.length > 0) {
    throw new ValidationError(
      "The distributors' notice leaves the CVE id out (PROCESS.md §7), but a copy would carry it.",
      issues,
    );
  }
}

/** What is encrypted for a person with a key: the subject line, then the body. */
export function encryptedContent(copy: CopyText): string {
  return `Subject: ${copy.subject}\n\n${copy.body}`;
}

/** The mail that carries a copy encrypted: a neutral subject with the code, and the armored message. */
export async function encryptedMail(
  copy: CopyText,
  code: string,
  projectName: string,
  key: openpgp.PublicKey,
  fingerprint: string,
  at: Date,
): Promise<{ subject: string; armored: string; text: string }> {
  const armored = await encryptForRecipient(key, encryptedContent(copy), at);
  return {
    subject: `[EMBARGOED] ${projectName} security notice (encrypted) [${code}]`,
    armored,
    text:
      `This early disclosure is encrypted to your OpenPGP key ${fingerprint}.\n` +
      `Reference ${code}.\n\n${armored}`,
  };
}
