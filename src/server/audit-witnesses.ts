/**
 * Witnesses of the audit checkpoints: copies of every signed checkpoint sent somewhere the
 * instance's host does not control, so that someone who holds the host (and could rewrite the
 * checkpoint directory) cannot also rewrite what the witnesses received. A mailbox
 * (VIGIL_AUDIT_WITNESS_EMAIL) and a URL (VIGIL_AUDIT_WITNESS_URL, POSTed the checkpoint as JSON
 * under the webhooks' address rules: public https only, unless local webhooks are allowed).
 * The checkpoint is signed, so the POST carries no HMAC of its own. A failed send is logged; the
 * next checkpoint carries a later head anyway.
 */
import type { SignedCheckpoint } from '../audit/audit.checkpoints.js';
import type { Mailer } from '../mail/outbound/mailer.js';
import { postWebhook } from '../modules/webhooks/webhook-post.js';
import { webhookUrlProblem } from '../modules/webhooks/webhook-url.js';

export interface WitnessSettings {
  email: string | undefined;
  url: string | undefined;
  allowLocal: boolean;
}

/** The function that sends a checkpoint to every configured witness, or undefined when none is. */
export function auditWitnesses(
  settings: WitnessSettings,
  mailer: Mailer,
): ((checkpoint: SignedCheckpoint) => Promise<void>) | undefined {
  if (settings.url) {
    const problem = webhookUrlProblem(settings.url, { allowLocal: settings.allowLocal });
    if (problem) throw new Error(`VIGIL_AUDIT_WITNESS_URL is refused: it ${problem}.`);
  }
  if (settings.email && !mailer.configured) {
    throw new Error('VIGIL_AUDIT_WITNESS_EMAIL is set but mail is not configured (set VIGIL_SMTP_URL).');
  }
  const { email, url, allowLocal } = settings;
  if (!email && !url) return undefined;
  return async (checkpoint) => {
    const body = `${JSON.stringify(checkpoint, null, 2)}\n`;
    const { seq, at } = checkpoint.statement;
    const sends: Promise<unknown>[] = [];
    if (url) {
      sends.push(
        postWebhook(url, { 'content-type': 'application/json', 'user-agent': 'Vigil audit witness' }, body, {
          allowLocal,
        }),
      );
    }
    if (email) {
      sends.push(
        mailer.send({
          to: [email],
          subject: `Vigil audit checkpoint #${seq} (${at})`,
          text:
            'A signed checkpoint of the Vigil audit log. Keep this mail: `vigil audit verify --checkpoints DIR` ' +
            'checks the log against checkpoints saved as files in DIR.\n\n' +
            body,
          headers: { 'Auto-Submitted': 'auto-generated' },
        }),
      );
    }
    const results = await Promise.allSettled(sends);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  };
}
