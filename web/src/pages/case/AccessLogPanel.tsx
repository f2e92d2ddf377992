import { useState } from 'react';
import * as api from '../../api/endpoints.js';
import type { AccessLogEntry, CaseDetail } from '../../api/types.js';
import { DataTable } from '../../components/DataTable.js';
import { DateTime } from '../../components/DateTime.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Section } from '../../components/Section.js';
import { useAsyncAction, useResource } from '../../hooks.js';

/** What was read, in words. */
function partLabel(what: string): string {
  if (what.startsWith('attachment:')) return 'an attachment';
  return (
    {
      case: 'the case (report and conversation)',
      advisory: 'the advisory draft',
      fix: 'the fix workspace (releases)',
      repository: 'the fix repository',
      'ci-log': 'a CI run’s log',
      retrospective: 'the retrospective',
      portal: 'the distributors’ view',
      'public-issue': 'the public issue draft',
    }[what] ?? what
  );
}

/** By which right, in words. */
function viaLabel(via: string): string {
  return (
    {
      'security-team': 'security team',
      'fix-team': 'Fix Team',
      collaborator: 'collaborator',
      reporter: 'reporter (invited)',
      distributor: 'distributor',
      'former-member': 'former member',
      operator: 'operator at the server',
    }[via] ?? via
  );
}

/**
 * "Who has read this": every read of the case's confidential content (issue 11, item 2), newest
 * first, one line per reader, part and ten minutes; older pages on demand. The team's alone.
 */
export function AccessLogPanel({ c }: { c: CaseDetail }) {
  const first = useResource(`case-access-log:${c.id}`, (signal) =>
    api.getCaseAccessLog(c.id, undefined, signal),
  );
  const [older, setOlder] = useState<{ entries: AccessLogEntry[]; cursor: string | null } | null>(null);
  const { busy, error, run } = useAsyncAction();
  const entries = [...(first.data?.entries ?? []), ...(older?.entries ?? [])];
  const cursor = older ? older.cursor : (first.data?.nextCursor ?? null);

  function more() {
    if (!cursor) return;
    void run(async () => {
      const page = await api.getCaseAccessLog(c.id, cursor);
      setOlder((o) => ({ entries: [...(o?.entries ?? []), ...page.entries], cursor: page.nextCursor }));
    });
  }

  return (
    <Section headingId="access-log-heading" title="Who has read this">
      <p>
        Every time someone opens this case’s report, conversation, attachments, advisory draft or fix, it is
        recorded here (once per person and part every ten minutes).
      </p>
      <ProblemAlert error={first.error ?? error} />
      {first.loading && !first.data ? <p aria-live="polite">Loading who has read this…</p> : null}
      {first.data && entries.length === 0 ? <p className="empty">Nobody has read this case yet.</p> : null}
      {entries.length > 0 ? (
        <DataTable columns={['Who', 'Read', 'As', 'When']}>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>
                {e.reader.name}
                {e.reader.email ? ` (${e.reader.email})` : ''}
                {e.admin ? (
                  <>
                    {' '}
                    <span className="badge">instance admin</span>
                  </>
                ) : null}
              </td>
              <td>{partLabel(e.what)}</td>
              <td>{viaLabel(e.via)}</td>
              <td>
                <DateTime value={e.at} />
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {cursor ? (
        <button type="button" className="button-small" disabled={busy} onClick={more}>
          Show older reads
        </button>
      ) : null}
    </Section>
  );
}
