import type { CaseDetail } from '../../../api/types.js';
import { PhaseTimeline } from './PhaseTimeline.js';
import { EarlyDisclosurePanel } from './EarlyDisclosurePanel.js';
import { ReleaseMatrix } from './ReleaseMatrix.js';
import { RepositorySection } from './RepositorySection.js';
import { TeamPanel } from './TeamPanel.js';

/**
 * The case's fix phase (PROCESS.md §5, §6, §7, §8), from acceptance on: the Fix Team, the private
 * repository with CI per branch, the release matrix, the phase clocks and the early disclosure to
 * distributors. After publication the parts stay, read-only, for the retrospective.
 */
export function FixArea({ c, onChanged }: { c: CaseDetail; onChanged: (notice: string) => void }) {
  return (
    <div className="fix-area" data-testid="fix-area">
      <PhaseTimeline c={c} />
      <TeamPanel c={c} />
      {c.abilities['case.repository.read'] ? <RepositorySection c={c} onCaseChanged={onChanged} /> : null}
      <ReleaseMatrix c={c} />
      {c.abilities['case.early-disclosure.read'] ? <EarlyDisclosurePanel c={c} /> : null}
    </div>
  );
}
