import { useState, type FormEvent } from 'react';
import * as embargo from '../../api/embargo.js';
import type { PortalAdvisory, PortalCase, PortalPatch } from '../../api/embargo.js';
import { DataTable } from '../../components/DataTable.js';
import { DateTime } from '../../components/DateTime.js';
import { TextAreaField } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Section } from '../../components/Section.js';
import { Loading, Notice } from '../../components/Status.js';
import { SubmitButton } from '../../components/SubmitButton.js';
import { browserTimeZone, countdownText } from '../../embargo/zoned-time.js';
import { fieldIssues } from '../../field-issues.js';
import { useAsyncAction, useCountdown, useResource, useTitle } from '../../hooks.js';
import { Link } from '../../router.js';
import { DateAnswerForm, DateNegotiation } from '../case/disclosure/DateNegotiation.js';

/**
 * One shared case in the distributors' portal: when the embargo ends (in one's own zone and UTC,
 * counting down), the advisory draft as distributors may see it, the patches per release line, the
 * release plan, the disclosure date to answer, acknowledgement and feedback. Everything is text.
 */
export function PortalCasePage({ id }: { id: string }) {
  const zone = browserTimeZone();
  const found = useResource(`portal-case:${id}`, (signal) => embargo.getPortalCase(id, zone, signal));
  const [notice, setNotice] = useState('');
  useTitle(found.data ? `Shared issue ${found.data.humanId}` : 'Shared issue');

  if (!found.data) {
    if (found.error?.code === 'embargo_not_accepted') {
      return (
        <>
          <h1>Accept the embargo policy first</h1>
          <ProblemAlert error={found.error} title="The embargo policy has changed" />
          <p>
            <Link to="/account">Open your account</Link> to read and accept the current text.
          </p>
        </>
      );
    }
    if (found.error?.status === 404) {
      return (
        <>
          <h1>Not shared with you</h1>
          <p>
            There is no issue “{id}” shared with your organisation. It may have been published, which ends the
            embargo and the portal’s access. <Link to="/portal">Back to the portal</Link>
          </p>
        </>
      );
    }
    return found.error ? <ProblemAlert error={found.error} /> : <Loading what="Opening the shared issue" />;
  }

  const c = found.data;
  function changed(message: string) {
    setNotice(message);
    found.reload();
  }
  return (
    <>
      <p className="breadcrumb">
        <Link to="/portal">Portal</Link> <span aria-hidden="true">/</span>{' '}
        <span className="mono">{c.humanId}</span>
      </p>
      <h1 className="case-title">{c.advisory?.title ?? `An embargoed issue of ${c.project.name}`}</h1>
      <p className="meta">
        {c.project.name} · shared with {c.organisation}
      </p>
      <Notice>{notice}</Notice>
      <EmbargoEnd c={c} />
      <Acknowledgement c={c} onDone={changed} />
      <DateSection c={c} />
      <Section headingId="advisory-heading" title="Advisory draft">
        {c.advisory ? (
          <AdvisoryDraft a={c.advisory} />
        ) : (
          <p className="empty">The team has not drafted the advisory yet.</p>
        )}
      </Section>
      <Section headingId="patches-heading" title="Patches per release line">
        {c.patches.length === 0 ? (
          <p className="empty">No release line is known yet.</p>
        ) : (
          c.patches.map((p) => <LinePatch key={p.line} p={p} />)
        )}
      </Section>
      <ReleasePlan c={c} />
      <Feedback c={c} onDone={changed} />
    </>
  );
}

function EmbargoEnd({ c }: { c: PortalCase }) {
  const e = c.embargo;
  const seconds = useCountdown(e.endsAt ? Date.parse(e.endsAt) : null);
  return (
    <section className="panel status-panel" aria-labelledby="embargo-heading" data-testid="embargo-end">
      <h2 id="embargo-heading">Embargo ends</h2>
      {e.endsAt ? (
        <>
          <p className="embargo-end">
            <strong>{e.local}</strong>
          </p>
          <p>{e.utc}</p>
          <p>
            {seconds > 0 ? (
              <>
                Time left:{' '}
                <span className="countdown" role="timer" aria-live="off">
                  {countdownText(seconds)}
                </span>
              </>
            ) : (
              'The embargo has ended: the advisory is being published.'
            )}
          </p>
        </>
      ) : (
        <p>No disclosure date is decided yet: until then, the embargo holds.</p>
      )}
    </section>
  );
}

function Acknowledgement({ c, onDone }: { c: PortalCase; onDone: (notice: string) => void }) {
  const { busy, error, run } = useAsyncAction();
  if (c.acknowledgedAt) {
    return (
      <p data-testid="acknowledged">
        You acknowledged this issue on <DateTime value={c.acknowledgedAt} />.
      </p>
    );
  }
  if (!c.abilities.respond) return null;
  return (
    <div className="stack">
      <ProblemAlert error={error} title="Your acknowledgement was not recorded" />
      <div className="actions">
        <button
          type="button"
          className="button-primary"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              await embargo.acknowledgePortalCase(c.humanId);
              onDone('The security team sees that you acknowledged the issue.');
            })
          }
        >
          Acknowledge receipt
        </button>
      </div>
    </div>
  );
}

function DateSection({ c }: { c: PortalCase }) {
  const found = useResource(`portal-date:${c.caseId}`, (signal) =>
    embargo.getDisclosureDate(c.humanId, signal),
  );
  const view = found.data;
  return (
    <Section headingId="date-heading" title="Disclosure date">
      {view ? (
        <>
          <DateNegotiation view={view} />
          {c.abilities.answerDate && view.abilities.respond
            ? view.proposals
                .filter((p) => p.open)
                .map((p) => (
                  <DateAnswerForm
                    key={p.id}
                    proposal={p}
                    zones={[browserTimeZone(), view.projectTimeZone]}
                    onAnswer={async (a) => {
                      await embargo.actOnDisclosureDate(c.humanId, a);
                      found.reload();
                    }}
                  />
                ))
            : null}
        </>
      ) : found.error ? (
        <ProblemAlert error={found.error} title="The disclosure date could not be loaded" />
      ) : (
        <Loading what="Loading the disclosure date" />
      )}
    </Section>
  );
}

function AdvisoryDraft({ a }: { a: PortalAdvisory }) {
  return (
    <div className="stack" data-testid="portal-advisory">
      <p className="meta">
        <span className="mono">{a.advisoryId}</span> · {a.state}
        {a.severity ? ` · CVSS ${a.severity.score.toFixed(1)} ${a.severity.severity}` : ' · not scored'}
        {a.cwes.length > 0 ? ` · ${a.cwes.map((w) => `${w.id} ${w.name}`.trim()).join(', ')}` : ''}
      </p>
      {a.summary ? <p className="lead">{a.summary}</p> : null}
      <h3>Description</h3>
      <p className="prewrap">{a.description || 'Not written yet.'}</p>
      <h3>Affected</h3>
      {a.affected.length === 0 ? (
        <p className="empty">Not given yet.</p>
      ) : (
        <ul>
          {a.affected.map((x, i) => (
            <li key={i}>
              <span className="mono">{x.package ?? x.ranges[0]?.repo ?? 'a repository'}</span>
              {x.ecosystem ? ` (${x.ecosystem})` : ''}:{' '}
              {x.ranges
                .map((r) => r.events.map((e) => `${e.kind} ${e.value}`).join(', '))
                .concat(x.versions.length > 0 ? [`versions ${x.versions.join(', ')}`] : [])
                .join('; ') || 'no range given'}
            </li>
          ))}
        </ul>
      )}
      {a.patchedVersions.some((p) => p.versions.length > 0) ? (
        <p>
          Fixed in:{' '}
          {a.patchedVersions
            .filter((p) => p.versions.length > 0)
            .map((p) => `${p.package} ${p.versions.join(', ')}`)
            .join('; ')}
        </p>
      ) : null}
      <h3>Workarounds</h3>
      <p className="prewrap">{a.workarounds || 'None given.'}</p>
      {a.mitigations ? (
        <>
          <h3>Mitigations</h3>
          <p className="prewrap">{a.mitigations}</p>
        </>
      ) : null}
      {a.amIVulnerable ? (
        <>
          <h3>Am I vulnerable?</h3>
          <p className="prewrap">{a.amIVulnerable}</p>
        </>
      ) : null}
    </div>
  );
}

const PATCH_STATES: Record<PortalPatch['state'], string> = {
  ready: '',
  empty: 'No fix commit on this line yet.',
  'no-branch': 'The line has no fix branch yet.',
  'too-large': 'The patch series is too large to show here: ask the security team for it.',
  unavailable: 'The fix repository is not ready yet.',
  withheld: 'The security team holds this patch series back for now: ask them for it.',
};

function LinePatch({ p }: { p: PortalPatch }) {
  const name =
    p.kind === 'main-fix'
      ? `The main branch (${p.branch})`
      : p.kind === 'next'
        ? `The next release (${p.branch})`
        : `Line ${p.line} (${p.branch})`;
  return (
    <div className="panel" data-testid="portal-patch">
      <h3>{name}</h3>
      {p.state === 'ready' && p.mbox ? (
        <details>
          <summary>
            {p.commits} commit{p.commits === 1 ? '' : 's'}, {Math.ceil(p.bytes / 1024)} KB (git format-patch)
          </summary>
          <pre className="patch-text" tabIndex={0} aria-label={`Patches of ${name}`}>
            {p.mbox}
          </pre>
        </details>
      ) : (
        <p className="empty">{PATCH_STATES[p.state]}</p>
      )}
    </div>
  );
}

function ReleasePlan({ c }: { c: PortalCase }) {
  const plan = c.releasePlan;
  return (
    <Section headingId="plan-heading" title="Release plan">
      <p>{plan.explanation}</p>
      {plan.rows.length > 0 ? (
        <DataTable
          columns={['Line', 'Branch', 'Fix tested', 'Release', 'Planned']}
          data-testid="portal-release-plan"
        >
          {plan.rows.map((r) => (
            <tr key={r.line}>
              <td className="mono">{r.line}</td>
              <td className="mono">{r.branch}</td>
              <td>{r.ready ? 'Yes' : 'Not yet'}</td>
              <td>
                {r.kind === 'main-fix'
                  ? 'No release of its own'
                  : r.release
                    ? `${r.release.version ?? 'version not set'} (${r.release.state})`
                    : 'Not recorded yet'}
              </td>
              <td>
                <DateTime value={r.release?.plannedAt} empty="—" />
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </Section>
  );
}

function Feedback({ c, onDone }: { c: PortalCase; onDone: (notice: string) => void }) {
  const [body, setBody] = useState('');
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['body']);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      await embargo.addPortalFeedback(c.humanId, body);
      setBody('');
      onDone('Your feedback was sent to the security team.');
    });
  }
  return (
    <Section headingId="feedback-heading" title="Feedback to the security team">
      {c.feedback.length > 0 ? (
        <ul data-testid="portal-feedback-list">
          {c.feedback.map((f) => (
            <li key={f.id}>
              <p className="meta">
                {f.by}, <DateTime value={f.at} />
              </p>
              <p className="prewrap">{f.body}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">Your organisation has not given feedback yet.</p>
      )}
      {c.abilities.respond ? (
        <form className="stack" onSubmit={submit}>
          <ProblemAlert error={error} title="Your feedback was not sent" issues={issues.unclaimed} />
          <TextAreaField
            label="Your feedback"
            hint="How the fix tests for you, what your users need; only the security team reads it."
            required
            maxLength={20_000}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            error={issues.message('body', 'The feedback')}
          />
          <SubmitButton busy={busy} busyLabel="Sending…">
            Send feedback
          </SubmitButton>
        </form>
      ) : null}
    </Section>
  );
}
