import * as api from '../../api/endpoints.js';
import type { CaseDetail } from '../../api/types.js';
import { DateTime } from '../../components/DateTime.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { useAsyncAction } from '../../hooks.js';

/**
 * A report held as possibly a flood (it came in over the project's hourly quota): nobody was told
 * and its response clock has not started. The team releases it into the inbox, or rejects it with
 * the triage panel; the reporter may also confirm it themselves.
 */
export function HeldPanel({ c, onReleased }: { c: CaseDetail; onReleased: (notice: string) => void }) {
  const { busy, error, run } = useAsyncAction();
  if (!c.held) return null;
  function release() {
    void run(async () => {
      await api.releaseHeldCase(c.id);
      onReleased(`${c.humanId} is released: it is in the inbox and its response clock runs from now.`);
    });
  }
  return (
    <section className="panel panel-question" aria-labelledby="held-heading" data-testid="held-panel">
      <h2 id="held-heading">Held: possibly a flood</h2>
      <ProblemAlert error={error} title="The report was not released" />
      <p>
        This report came in <DateTime value={c.held.at} /> over the project’s hourly quota, so it was held:
        the team was not told and its response clock has not started. The reporter can confirm it from their
        receipt mail or their private link.
      </p>
      <p>
        <button type="button" onClick={release} disabled={busy}>
          Release to the inbox
        </button>
      </p>
      <p className="hint">To turn it away instead, reject it (or mark it a duplicate) in the triage panel.</p>
    </section>
  );
}
