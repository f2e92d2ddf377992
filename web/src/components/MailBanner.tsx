import { getMailStatus } from '../api/mail.js';
import { useResource } from '../hooks.js';
import { Link } from '../router.js';
import { useAbility } from '../session.js';
import { DateTime } from './DateTime.js';

const mails = (n: number) => (n === 1 ? '1 mail is' : `${n} mails are`);

/**
 * Says, on every page, when the instance's mail does not go out (issue 13): SMTP not configured,
 * or mail waiting over 15 minutes or failing. For admins and security-team members (the session's
 * `instance.mail-status.read`).
 */
export function MailBanner() {
  // Asked only by those the server answers (anyone else would get a 404 on every page).
  return useAbility('instance.mail-status.read') ? <MailStatusBanner /> : null;
}

function MailStatusBanner() {
  const status = useResource('mail-status', (signal) => getMailStatus(signal));
  const admin = useAbility('instance.mail-queue.read');
  const s = status.data;
  if (!s || s.state === 'ok') return null;
  const title =
    s.state === 'not-configured'
      ? `Mail is not configured: ${mails(s.queued)} waiting.`
      : `Mail is failing: ${mails(s.queued)} waiting${s.failed > 0 ? `, ${s.failed} failed in the last hour` : ''}.`;
  return (
    <div className="alert alert-warning mail-banner" role="status" data-testid="mail-banner">
      <p className="alert-title">{title}</p>
      <p>
        {s.since ? (
          <>
            The oldest has waited since <DateTime value={s.since} />.{' '}
          </>
        ) : null}
        Nobody is told of new reports or answers by mail until this is fixed.{' '}
        {admin ? (
          <>
            Admins: see <Link to="/admin/mail-queue">Mail queue</Link>
            {s.state === 'not-configured' ? ' and set VIGIL_SMTP_URL on the server.' : '.'}
          </>
        ) : (
          'Tell your Vigil admin.'
        )}
      </p>
    </div>
  );
}
