import { useState } from 'react';
import { getMailQueue, type MailJob } from '../../api/mail.js';
import { DataTable } from '../../components/DataTable.js';
import { DateTime } from '../../components/DateTime.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading } from '../../components/Status.js';
import { useAsyncAction, useResource, useTitle } from '../../hooks.js';

/** What each job kind sends, in words. */
function kindLabel(kind: string): string {
  return (
    {
      'case.mail': 'Case notification',
      'case.first-response-reminder': 'First-response reminder',
      'case.phase-reminder': 'Fix phase reminder',
      'case.member-invitation': 'Fix Team invitation',
      'disclosure-date.mail': 'Disclosure date',
      'distributors.mail': 'Distributors list',
      'distributors.review-due': 'Distributors review',
      'early-disclosure.copy': 'Early disclosure copy',
      'publication.mail': 'Publication announcement',
      'publication.hold-alert': 'Publication hold',
      'project.members.mail': 'Security team change',
      'account.security.mail': 'Account security',
    }[kind] ?? kind
  );
}

const STATE_LABEL: Record<MailJob['state'], string> = {
  scheduled: 'Scheduled',
  queued: 'Queued',
  retrying: 'Retrying',
  sending: 'Sending',
  failed: 'Failed',
  sent: 'Sent',
};

const STATE_BADGE: Record<MailJob['state'], string> = {
  scheduled: 'badge',
  queued: 'badge badge-warning',
  retrying: 'badge badge-warning',
  sending: 'badge',
  failed: 'badge badge-danger',
  sent: 'badge badge-success',
};

/**
 * The admins' view of the mail queue (issue 13): the summary, then every mail job newest first
 * (waiting, retrying, scheduled reminders, failed, and sent within the day) with its case, attempts, next attempt and
 * last error. Ids and states only: never a recipient or what a mail says.
 */
export function MailQueuePage() {
  useTitle('Mail queue');
  const first = useResource('mail-queue', (signal) => getMailQueue(undefined, signal));
  const [older, setOlder] = useState<{ jobs: MailJob[]; cursor: string | null } | null>(null);
  const { busy, error, run } = useAsyncAction();
  const jobs = [...(first.data?.jobs ?? []), ...(older?.jobs ?? [])];
  const cursor = older ? older.cursor : (first.data?.nextCursor ?? null);
  const summary = first.data?.summary;

  function more() {
    if (!cursor) return;
    void run(async () => {
      const page = await getMailQueue(cursor);
      setOlder((o) => ({ jobs: [...(o?.jobs ?? []), ...page.jobs], cursor: page.nextCursor }));
    });
  }

  return (
    <>
      <h1>Mail queue</h1>
      <ProblemAlert error={first.error ?? error} />
      {first.loading && !first.data ? <Loading what="Loading the mail queue" /> : null}
      {summary ? (
        <dl className="facts">
          <div>
            <dt>Mail</dt>
            <dd>
              {summary.configured
                ? summary.state === 'failing'
                  ? 'Configured, but failing'
                  : 'Configured'
                : 'Not configured (set VIGIL_SMTP_URL on the server)'}
            </dd>
          </div>
          <div>
            <dt>Waiting to be sent</dt>
            <dd>{summary.queued}</dd>
          </div>
          <div>
            <dt>Reminders not yet due</dt>
            <dd>{summary.scheduled}</dd>
          </div>
          <div>
            <dt>Failed</dt>
            <dd>{summary.failed}</dd>
          </div>
          <div>
            <dt>Oldest waiting since</dt>
            <dd>
              <DateTime value={summary.oldestQueuedAt} empty="nothing waits" />
            </dd>
          </div>
        </dl>
      ) : null}
      <p>
        Mail leaves Vigil from the job queue. Without SMTP it waits here and goes out once an instance with
        VIGIL_SMTP_URL runs; a mail the server refuses for good is failed. <code>vigil doctor</code> on the
        server checks the settings. Recipients and contents are never shown.
      </p>
      {first.data && jobs.length === 0 ? (
        <p className="empty">No mail waiting, scheduled, failed or sent today.</p>
      ) : null}
      {jobs.length > 0 ? (
        <DataTable
          aria-label="Mail jobs"
          columns={[
            'Mail',
            'State',
            'Case',
            { label: 'Attempts', numeric: true },
            'Next attempt',
            'Last error',
            'Queued',
          ]}
        >
          {jobs.map((j) => (
            <tr key={j.id}>
              <td>
                {kindLabel(j.kind)}
                <br />
                <code className="meta">{j.kind}</code>
              </td>
              <td>
                <span className={STATE_BADGE[j.state]}>{STATE_LABEL[j.state]}</span>
                {j.state === 'sent' && j.finishedAt ? (
                  <>
                    {' '}
                    <DateTime value={j.finishedAt} />
                  </>
                ) : null}
              </td>
              <td>
                {/* The case's id only: admins do not read cases (a team member can open it). */}
                {j.caseHumanId ?? '—'}
              </td>
              <td className="num">
                {j.attempts} of {j.maxAttempts}
              </td>
              <td>
                <DateTime value={j.nextAttemptAt} />
              </td>
              <td>{j.lastError ?? '—'}</td>
              <td>
                <DateTime value={j.createdAt} />
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {cursor ? (
        <button type="button" className="button-small" disabled={busy} onClick={more}>
          Show older mail
        </button>
      ) : null}
    </>
  );
}
