/**
 * Where a team mail is decided (issue 13, item 3): `notifyTeam` writes the in-app notification of
 * each recipient, once per job (a retried job writes nothing new: unique on the user and the job's
 * dedupe key), then mails only those whose setting for the event is `mail` (the default); `digest`
 * waits for the daily digest (digest.job.ts), `none` is told in Vigil only. Every team mail's job
 * handler sends through here. The notification's label is the mail's subject (the project's name,
 * the case's id, what happened): never report content.
 */
import type { Db } from '../../db/connection.js';
import { PermanentJobError, type JobContext } from '../../jobs/job.runner.js';
import { newId } from '../../lib/ids.js';
import { caseHeaders, vigilMessageId } from '../../mail/outbound/addressing.js';
import { MailError, type Mailer } from '../../mail/outbound/mailer.js';
import { renderMail, type MailParams } from '../../mail/templates/mail-templates.js';
import { DEFAULT_MODE, type TeamEvent } from './notification-events.js';
import * as repo from './notifications.repo.js';

/** A person the team mail is for. */
export interface TeamRecipient {
  id: string;
  email: string;
}

export interface NotifyTeamInput<K extends TeamEvent> {
  kind: K;
  /** The recipients (duplicates by id are told once). */
  to: readonly TeamRecipient[];
  projectId: string;
  /** The case the mail is about: its thread headers and a Message-ID seeded by the job. */
  case?: { id: string; human_id: string } | undefined;
  params: MailParams<K> & { link: string };
}

/** The path in Vigil of a link under the public URL (the notification stores paths). */
export function pathOf(link: string, publicUrl: string): string {
  if (link.startsWith(publicUrl)) {
    const rest = link.slice(publicUrl.length);
    if (rest.startsWith('/')) return rest;
  }
  const u = new URL(link);
  return `${u.pathname}${u.search}${u.hash}`;
}

/**
 * Writes each recipient's notification and mails those who want a mail for `kind`. Renders first:
 * parameters the template refuses fail the job before anything is written.
 */
export async function notifyTeam<K extends TeamEvent>(
  deps: { db: Db; mailer: Mailer },
  ctx: JobContext,
  n: NotifyTeamInput<K>,
): Promise<void> {
  const people = [...new Map(n.to.map((p) => [p.id, p])).values()];
  if (people.length === 0) return;
  const mail = renderMail(n.kind, n.params);
  const now = ctx.clock.now().toISOString();
  const k = deps.db.kysely;
  const link = pathOf(n.params.link, deps.mailer.publicUrl);
  const label = mail.subject.replace(/^\[Vigil\] /, '');
  await repo.insertNotifications(
    k,
    people.map((p) => ({
      id: newId(),
      user_id: p.id,
      project_id: n.projectId,
      case_id: n.case?.id ?? null,
      event: n.kind,
      label,
      link,
      dedupe_key: `${ctx.jobId}:${n.kind}`,
      created_at: now,
      read_at: null,
      digested_at: null,
    })),
  );
  const modes = new Map(
    (
      await repo.findModes(
        k,
        people.map((p) => p.id),
        n.kind,
      )
    ).map((r) => [r.user_id, r.mode]),
  );
  const to = [
    ...new Set(people.filter((p) => (modes.get(p.id) ?? DEFAULT_MODE) === 'mail').map((p) => p.email)),
  ];
  if (to.length === 0) return;
  try {
    await deps.mailer.send({
      to,
      subject: mail.subject,
      text: mail.text,
      ...(n.case && {
        headers: caseHeaders(n.case.human_id),
        messageId: vigilMessageId(n.case.id, n.kind, deps.mailer.replyDomain, ctx.jobId),
      }),
    });
  } catch (err) {
    if (err instanceof MailError && err.permanent) throw new PermanentJobError(err.message);
    throw err;
  }
}
