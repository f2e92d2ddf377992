import { FixPart } from './FixPart.js';
import { useState, type FormEvent } from 'react';
import * as fix from '../../../api/fix.js';
import type { Retrospective, SectionsInput } from '../../../api/fix.js';
import type { CaseDetail } from '../../../api/types.js';
import { DataTable } from '../../../components/DataTable.js';
import { DateTime } from '../../../components/DateTime.js';
import { TextAreaField } from '../../../components/Field.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { SubmitButton } from '../../../components/SubmitButton.js';
import { useAsyncAction, useResource } from '../../../hooks.js';
import { phaseStatusClass, phaseStatusText, safeHref, shortSha } from './fix-words.js';

const ROLE_LABELS: Record<string, string> = {
  'fix-lead': 'Fix Lead',
  'security-team': 'security team',
  'fix-team': 'Fix Team',
  collaborator: 'collaborator',
  reporter: 'reporter',
  distributor: 'distributor',
};

/**
 * The case's retrospective (PROCESS.md §9), once the case is published: drafted by Vigil from the
 * audit log (who took part, the timeline, each phase met or missed, links to the fix and the
 * releases), the blameless sections the team writes, everyone's feedback, and the Fix Lead's close,
 * which closes the case. Everything a person wrote is shown as text.
 */
export function RetrospectiveSection({ c, onClosed }: { c: CaseDetail; onClosed: (notice: string) => void }) {
  const found = useResource(`retrospective:${c.id}:${c.state}`, (signal) =>
    fix.getRetrospective(c.id, signal),
  );
  const [notice, setNotice] = useState('');

  return (
    <FixPart
      headingId="retrospective-heading"
      title="Retrospective"
      notice={notice}
      found={found}
      what="the retrospective"
    >
      {(r) =>
        r.state === 'none' ? (
          <p className="empty">
            {r.message ?? 'No retrospective yet: it is drafted when the case is published.'}
          </p>
        ) : (
          <RetrospectiveBody
            c={c}
            r={r}
            onChanged={(message) => {
              setNotice(message);
              found.reload();
            }}
            onClosed={onClosed}
          />
        )
      }
    </FixPart>
  );
}

interface BodyProps {
  c: CaseDetail;
  r: Retrospective;
  onChanged: (notice: string) => void;
  onClosed: (notice: string) => void;
}

function RetrospectiveBody({ c, r, onChanged, onClosed }: BodyProps) {
  const open = r.state === 'draft';
  return (
    <div className="stack" data-testid="retrospective">
      <p className="meta">
        {open ? (
          <>
            Drafted <DateTime value={r.draftedAt} /> from the case’s audit log.
          </>
        ) : (
          <>
            Closed <DateTime value={r.closedAt} />
            {r.closedBy ? ` by ${r.closedBy.name}` : ''}.
          </>
        )}
        {r.blameless ? ' Blameless: about the process, never a person.' : ''}
      </p>

      <h3>Who took part</h3>
      {r.participants.length === 0 ? (
        <p className="empty">Nobody is recorded.</p>
      ) : (
        <ul className="plain-list" data-testid="retrospective-participants">
          {r.participants.map((p) => {
            // Someone without a role here (a distributor's person) has only their actions to show.
            const about = [
              p.roles.map((role) => ROLE_LABELS[role] ?? role).join(', '),
              p.actions > 0 ? `${p.actions} recorded ${p.actions === 1 ? 'action' : 'actions'}` : '',
            ]
              .filter(Boolean)
              .join('; ');
            return (
              <li key={p.userId ?? p.name}>
                {p.name} {about ? <span className="meta">({about})</span> : null}
              </li>
            );
          })}
        </ul>
      )}

      <h3>Phases</h3>
      <DataTable columns={['Phase', 'Started', 'Due', 'Done', 'Status']} data-testid="retrospective-phases">
        {r.phases.map((p) => (
          <tr key={p.name}>
            <td>{p.label}</td>
            <td className="nowrap">
              <DateTime value={p.startedAt} />
            </td>
            <td className="nowrap">
              <DateTime value={p.dueAt} empty="no deadline" />
            </td>
            <td className="nowrap">
              <DateTime value={p.doneAt} empty="not done" />
            </td>
            <td>
              <span className={phaseStatusClass(p.status)}>{phaseStatusText(p.status, p.hoursLate)}</span>
            </td>
          </tr>
        ))}
      </DataTable>

      <h3>Timeline</h3>
      {r.timelineTruncated ? (
        <p className="meta">The earliest events are left out: the case has more than a timeline holds.</p>
      ) : null}
      {r.timeline.length === 0 ? (
        <p className="empty">Nothing recorded.</p>
      ) : (
        <ol
          className="timeline"
          tabIndex={0}
          aria-label="Timeline of the case"
          data-testid="retrospective-timeline"
        >
          {r.timeline.map((t, i) => (
            <li key={`${t.at}:${i}`}>
              <span className="timeline-at">
                <DateTime value={t.at} />
              </span>{' '}
              {t.what}
            </li>
          ))}
        </ol>
      )}

      <h3>Links</h3>
      <RetrospectiveLinks r={r} />

      <h3>Critique</h3>
      {open && r.abilities['case.retrospective.manage'] ? (
        <SectionsForm c={c} r={r} onSaved={() => onChanged('The retrospective is saved.')} />
      ) : (
        <WrittenSections r={r} />
      )}

      <h3>Feedback</h3>
      {r.feedback.length === 0 ? (
        <p className="empty">No feedback yet.</p>
      ) : (
        <ul className="feedback-list" data-testid="retrospective-feedback">
          {r.feedback.map((f) => (
            <li key={f.id} className="message">
              <p className="message-head">
                <span className="message-author">{f.author.name}</span>{' '}
                <span className="message-time">
                  <DateTime value={f.createdAt} />
                </span>
              </p>
              <div className="prewrap">{f.body}</div>
            </li>
          ))}
        </ul>
      )}
      {open && r.abilities['case.retrospective.feedback'] ? (
        <FeedbackForm caseId={c.id} onSent={() => onChanged('Your feedback is added.')} />
      ) : null}

      {open && r.abilities['case.retrospective.manage'] ? (
        <CloseRetrospective c={c} onClosed={onClosed} />
      ) : null}
    </div>
  );
}

function RetrospectiveLinks({ r }: { r: Retrospective }) {
  const { introducedBy, fixedBy, releases } = r.links;
  if (introducedBy.length + fixedBy.length + releases.length === 0) {
    return <p className="empty">No links yet.</p>;
  }
  return (
    <ul className="plain-list" data-testid="retrospective-links">
      {introducedBy.map((url) => (
        <li key={`in:${url}`}>
          Introduced by <ExternalLink url={url} />
        </li>
      ))}
      {fixedBy.map((f) => (
        <li key={`fix:${f.branch}`}>
          Fixed on <span className="mono">{f.branch}</span> at{' '}
          <span className="mono" title={f.commit}>
            {shortSha(f.commit)}
          </span>{' '}
          <span className="meta">({f.state})</span>
        </li>
      ))}
      {releases.map((rel) => (
        <li key={`rel:${rel.line}`}>
          Release line <span className="mono">{rel.line}</span>: {rel.version ?? 'no version'} ({rel.state})
          {rel.url ? (
            <>
              {' '}
              <ExternalLink url={rel.url} />
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** A link someone typed: a real link only for http(s), otherwise the text. */
export function ExternalLink({ url }: { url: string }) {
  const href = safeHref(url);
  return href ? (
    <a href={href} rel="noopener noreferrer nofollow" target="_blank" className="links-row">
      {url}
    </a>
  ) : (
    <span className="mono">{url}</span>
  );
}

function WrittenSections({ r }: { r: Retrospective }) {
  return (
    <div className="stack" data-testid="retrospective-sections">
      {r.sections.map((s) => (
        <div key={s.key} className="report-part">
          <h4>{s.title}</h4>
          {s.text.trim() === '' ? (
            <p className="empty">Not written.</p>
          ) : (
            <div className="prewrap">{s.text}</div>
          )}
        </div>
      ))}
    </div>
  );
}

function SectionsForm({ c, r, onSaved }: { c: CaseDetail; r: Retrospective; onSaved: () => void }) {
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(r.sections.map((s) => [s.key, s.text])),
  );
  const [links, setLinks] = useState(r.links.introducedBy.join('\n'));
  const { busy, error, run } = useAsyncAction();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const sections: SectionsInput = {
      introducedByLinks: links
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== ''),
    };
    for (const s of r.sections) sections[s.key] = texts[s.key] ?? '';
    void run(async () => {
      await fix.updateRetrospective(c.id, sections);
      onSaved();
    });
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="Retrospective sections">
      <ProblemAlert error={error} title={error ? 'The retrospective was not saved' : undefined} />
      {r.sections.map((s) => (
        <TextAreaField
          key={s.key}
          label={s.title}
          hint={s.questions.join(' ')}
          rows={4}
          maxLength={20_000}
          value={texts[s.key] ?? ''}
          onChange={(e) => setTexts((t) => ({ ...t, [s.key]: e.target.value }))}
        />
      ))}
      <TextAreaField
        label="Links to what introduced the issue"
        hint="One http(s) link a line: the commit, the pull request, the release."
        rows={3}
        value={links}
        onChange={(e) => setLinks(e.target.value)}
      />
      <SubmitButton busy={busy} busyLabel="Saving…">
        Save the retrospective
      </SubmitButton>
    </form>
  );
}

function FeedbackForm({ caseId, onSent }: { caseId: string; onSent: () => void }) {
  const [body, setBody] = useState('');
  const { busy, error, run } = useAsyncAction();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      await fix.addRetrospectiveFeedback(caseId, body);
      setBody('');
      onSent();
    });
  }
  return (
    <form className="stack" onSubmit={submit} aria-label="Add feedback">
      <ProblemAlert error={error} title={error ? 'Your feedback was not added' : undefined} />
      <TextAreaField
        label="Your feedback"
        hint="Everyone who took part may add feedback. Blameless: about the process, never a person."
        required
        rows={4}
        maxLength={20_000}
        value={body}
        onChange={(e) => setBody(e.target.value)}
      />
      <SubmitButton busy={busy} busyLabel="Adding…">
        Add feedback
      </SubmitButton>
    </form>
  );
}

function CloseRetrospective({ c, onClosed }: { c: CaseDetail; onClosed: (notice: string) => void }) {
  const { busy, error, run } = useAsyncAction();
  function close() {
    void run(async () => {
      await fix.closeRetrospective(c.id);
      onClosed(`The retrospective of ${c.humanId} is closed, and with it the case.`);
    });
  }
  return (
    <div className="stack">
      <ProblemAlert error={error} title={error ? 'The retrospective was not closed' : undefined} />
      <p className="hint">Closing the retrospective closes the case; nothing can be added after.</p>
      <div className="actions">
        <button type="button" className="button-primary" disabled={busy} onClick={close}>
          Close the retrospective and the case
        </button>
      </div>
    </div>
  );
}
