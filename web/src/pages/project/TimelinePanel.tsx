import * as fix from '../../api/fix.js';
import type { ProjectTimeline } from '../../api/fix.js';
import { casePath } from '../../cases/paths.js';
import { stateClass } from '../../cases/state-palette.js';
import { stateLabel } from '../../cases/words.js';
import { DataTable } from '../../components/DataTable.js';
import { DateTime } from '../../components/DateTime.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading } from '../../components/Status.js';
import { useResource } from '../../hooks.js';
import { Link } from '../../router.js';
import { phaseStatusClass, phaseStatusText } from '../case/fix/fix-words.js';

type TimelineCase = ProjectTimeline['cases'][number];

/** The phase a case waits on now: the first one started and not done. */
function currentPhase(c: TimelineCase) {
  return c.phases.find((p) => p.startedAt !== null && p.doneAt === null) ?? null;
}

/**
 * The project's phase timeline (PROCESS.md §6, §8, §9): its cases in the fix phase, each with the
 * phase it waits on and when the next one is due, the next due first (the server's order).
 */
export function TimelinePanel({ slug }: { slug: string }) {
  const timeline = useResource(`project-timeline:${slug}`, (signal) => fix.getProjectTimeline(slug, signal));
  if (!timeline.data) {
    return timeline.error ? (
      <ProblemAlert error={timeline.error} title="The phase timeline could not be loaded" />
    ) : (
      <Loading what="Loading the phase timeline" />
    );
  }
  const { cases } = timeline.data;
  if (cases.length === 0) return <p className="empty">No case is in the fix phase.</p>;
  return (
    <DataTable columns={['Case', 'Title', 'State', 'Waiting on', 'Next due']} data-testid="project-timeline">
      {cases.map((c) => {
        const phase = currentPhase(c);
        return (
          <tr key={c.id}>
            <td className="mono nowrap">
              <Link to={casePath(c.humanId)}>{c.humanId}</Link>
            </td>
            <td className="title-cell">
              {c.title}
              {c.publiclyKnown ? <span className="badge badge-danger-soft">publicly known</span> : null}
            </td>
            <td>
              <span className={stateClass(c.state)}>{stateLabel(c.state)}</span>
            </td>
            <td>
              {phase ? (
                <>
                  {phase.label}{' '}
                  <span className={phaseStatusClass(phase.status)}>
                    {phaseStatusText(phase.status, phase.hoursLate)}
                  </span>
                </>
              ) : (
                <span className="meta">nothing</span>
              )}
            </td>
            <td className="nowrap">
              <DateTime value={c.nextDueAt} empty="no deadline" />
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
