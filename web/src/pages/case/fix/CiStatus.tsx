import * as fix from '../../../api/fix.js';
import type { CiRun } from '../../../api/fix.js';
import { DateTime } from '../../../components/DateTime.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { Loading } from '../../../components/Status.js';
import { useResource } from '../../../hooks.js';
import { shortSha } from './fix-words.js';

const RUN_WORDS: Record<string, string> = {
  queued: 'queued',
  running: 'running',
  passed: 'passed',
  failed: 'failed',
  error: 'error',
};

/** A CI run's state as a badge: green passed, red failed or error. */
export function RunBadge({ run }: { run: CiRun | null }) {
  if (!run) return <span className="badge">no run</span>;
  const tone =
    run.state === 'passed'
      ? ' badge-success'
      : run.state === 'failed' || run.state === 'error'
        ? ' badge-danger'
        : '';
  const late = run.timedOut ? ', timed out' : '';
  return (
    <span className={`badge${tone}`} data-testid="ci-status">
      {RUN_WORDS[run.state] ?? run.state}
      {late}
    </span>
  );
}

/** One line about a run: its state, its commit and when it finished (or started). */
export function RunSummary({ run }: { run: CiRun | null }) {
  if (!run) return <RunBadge run={null} />;
  return (
    <>
      <RunBadge run={run} />{' '}
      <span className="mono" title={run.commit}>
        {shortSha(run.commit)}
      </span>
      {run.finishedAt ? (
        <span className="meta">
          {' '}
          · <DateTime value={run.finishedAt} />
        </span>
      ) : null}
      {run.runnerName ? <span className="meta"> · on {run.runnerName}</span> : null}
    </>
  );
}

/**
 * A run's log: the newest part the runner sent, as text in a scrolling block that takes keyboard
 * focus (so it can be scrolled without a mouse).
 */
export function RunLog({ caseId, run }: { caseId: string; run: CiRun }) {
  const log = useResource(`ci-log:${run.id}:${run.state}`, (signal) =>
    fix.getCiRunLog(caseId, run.id, signal),
  );
  if (!log.data) {
    return log.error ? (
      <ProblemAlert error={log.error} title="The log could not be loaded" />
    ) : (
      <Loading what="Loading the log" />
    );
  }
  if (log.data.log === null) return <p className="empty">No log yet: the runner has not reported.</p>;
  return (
    <pre className="code-view ci-log" tabIndex={0} aria-label={`Log of the run on ${shortSha(run.commit)}`}>
      {log.data.log}
    </pre>
  );
}
