import type { CaseDetail } from '../../../api/types.js';
import { RepositorySection } from './RepositorySection.js';
import { TeamPanel } from './TeamPanel.js';

/**
 * The case's fix phase (PROCESS.md §5, §6, §8), from acceptance on: the Fix Team, the private
 * repository with CI per branch, the release matrix and the phase clocks. After publication the
 * parts stay, read-only, for the retrospective.
 */
export function FixArea({ c }: { c: CaseDetail; onChanged: (notice: string) => void }) {
  return (
    <div className="fix-area" data-testid="fix-area">
      <TeamPanel c={c} />
      {c.abilities['case.repository.read'] ? <RepositorySection c={c} /> : null}
    </div>
  );
}
