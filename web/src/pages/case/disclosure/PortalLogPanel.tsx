import { useState } from 'react';
import * as embargo from '../../../api/embargo.js';
import type { CaseDetail } from '../../../api/types.js';
import { DataTable } from '../../../components/DataTable.js';
import { DateTime } from '../../../components/DateTime.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { useAsyncAction, useResource } from '../../../hooks.js';
import { FixPart } from '../fix/FixPart.js';

type Entry = embargo.PortalLog['entries'][number];

const WHAT: Record<string, string> = {
  listed: 'saw it in their list',
  case: 'opened the case',
  'disclosure-date': 'read the disclosure date',
  'date-response': 'answered the disclosure date',
  acknowledged: 'acknowledged',
  feedback: 'gave feedback',
};

/**
 * What the distributors' people opened and did through the portal on this case (the team's view):
 * who, what and when, their acknowledgements and their organisations' feedback, as text.
 */
export function PortalLogPanel({ c }: { c: CaseDetail }) {
  const found = useResource(`portal-log:${c.id}:${c.state}`, (signal) =>
    embargo.getPortalLog(c.id, undefined, signal),
  );
  // Older pages of the access log, fetched on demand (the first page holds the newest 200).
  const [older, setOlder] = useState<{ of: unknown; entries: Entry[]; cursor: string | null } | null>(null);
  const { busy, error, run } = useAsyncAction();
  const loaded = older?.of === found.data ? older : null;
  const cursor = loaded ? loaded.cursor : (found.data?.nextCursor ?? null);

  function more() {
    const first = found.data;
    if (!cursor || !first) return;
    void run(async () => {
      const page = await embargo.getPortalLog(c.id, cursor);
      setOlder((o) => ({
        of: first,
        entries: [...(o?.of === first ? o.entries : []), ...page.entries],
        cursor: page.nextCursor,
      }));
    });
  }
  return (
    <FixPart
      headingId="portal-log-heading"
      title="Distributors’ portal"
      notice=""
      found={found}
      what="the portal log"
    >
      {(log) => (
        <>
          <h3>Acknowledged by</h3>
          {log.acknowledgements.length === 0 ? (
            <p className="empty">Nobody has acknowledged the case yet.</p>
          ) : (
            <ul data-testid="portal-acknowledgements">
              {log.acknowledgements.map((a) => (
                <li key={a.userId}>
                  {a.name} ({a.organisation ?? 'no longer on the list'}), <DateTime value={a.at} />
                </li>
              ))}
            </ul>
          )}
          <h3>Feedback</h3>
          {log.feedback.length === 0 ? (
            <p className="empty">No feedback yet.</p>
          ) : (
            <ul data-testid="portal-feedback">
              {log.feedback.map((f) => (
                <li key={f.id}>
                  <p className="meta">
                    {f.by} ({f.organisation ?? 'no longer on the list'}), <DateTime value={f.at} />
                  </p>
                  <p className="prewrap">{f.body}</p>
                </li>
              ))}
            </ul>
          )}
          <h3>Access log</h3>
          {log.entries.length === 0 ? (
            <p className="empty">Nobody has opened the case in the portal yet.</p>
          ) : (
            <DataTable columns={['When', 'Who', 'Organisation', 'What']} data-testid="portal-log">
              {[...log.entries, ...(loaded?.entries ?? [])].map((e) => (
                <tr key={e.id}>
                  <td>
                    <DateTime value={e.at} />
                  </td>
                  <td>
                    {e.who.name} <span className="meta">{e.who.email}</span>
                  </td>
                  <td>{e.organisation ?? '—'}</td>
                  <td>
                    {WHAT[e.what] ?? e.what}
                    {e.detail ? <span className="meta"> ({e.detail})</span> : null}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
          <ProblemAlert error={error} />
          {cursor ? (
            <button type="button" className="button-small" disabled={busy} onClick={more}>
              Show older entries
            </button>
          ) : null}
        </>
      )}
    </FixPart>
  );
}
