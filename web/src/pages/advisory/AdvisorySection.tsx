import { getAdvisory, startAdvisory } from '../../api/advisory.js';
import { FIX_OPEN_STATES, type CaseDetail } from '../../api/types.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Section } from '../../components/Section.js';
import { Loading } from '../../components/Status.js';
import { useAsyncAction, useResource, type AsyncAction } from '../../hooks.js';
import { Link, navigate } from '../../router.js';

/** The advisory editor of a case, by the case's human id. */
export function advisoryPath(humanId: string): string {
  return `/cases/${encodeURIComponent(humanId)}/advisory`;
}

/**
 * The case page's "Advisory" part: the advisory's id, state and revision with a link to its
 * editor, or, for an accepted case without one, the button that starts it (for those who may edit
 * advisories). The case tells whether an advisory exists, so none is asked for in vain.
 */
export function AdvisorySection({ c }: { c: CaseDetail }) {
  const exists = c.advisory !== null;
  const found = useResource(`case-advisory:${c.id}:${exists}`, (signal) =>
    exists ? getAdvisory(c.id, signal) : Promise.resolve(null),
  );
  const start = useAsyncAction({ leavesPage: true });

  if (!c.abilities['advisory.read']) return null;
  if (!exists && !(FIX_OPEN_STATES.includes(c.state) && c.abilities['advisory.edit'])) return null;
  let body;
  if (found.data) {
    const a = found.data;
    body = (
      <p data-testid="case-advisory">
        <Link to={advisoryPath(c.humanId)}>
          Open advisory <span className="mono">{a.advisoryId}</span>
        </Link>{' '}
        ({a.state}, revision {a.revision}
        {a.severity ? `, CVSS ${a.severity.score.toFixed(1)} ${a.severity.severity}` : ''})
      </p>
    );
  } else if (!exists) {
    body = (
      <>
        <p>No advisory yet. Starting one pre-fills it from the case (title, the reporter’s credit).</p>
        <StartAdvisory
          action={start}
          onStart={() =>
            void start.run(async () => {
              await startAdvisory(c.id);
              navigate(advisoryPath(c.humanId));
            })
          }
        />
      </>
    );
  } else if (found.error) {
    body = <ProblemAlert error={found.error} title="The advisory could not be loaded" />;
  } else {
    body = <Loading what="Loading the advisory" />;
  }
  return (
    <Section headingId="advisory-heading" title="Advisory">
      {body}
    </Section>
  );
}

/** The button that starts a case's advisory, and why the last attempt failed. */
export function StartAdvisory({ action, onStart }: { action: AsyncAction; onStart: () => void }) {
  return (
    <>
      <ProblemAlert error={action.error} title="The advisory could not be started" />
      <div className="actions">
        <button type="button" className="button-primary" disabled={action.busy} onClick={onStart}>
          {action.busy ? 'Starting…' : 'Start the advisory'}
        </button>
      </div>
    </>
  );
}
