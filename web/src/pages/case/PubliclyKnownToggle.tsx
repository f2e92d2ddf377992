import * as api from '../../api/endpoints.js';
import type { CaseDetail } from '../../api/types.js';
import { CheckboxField } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { useAsyncAction } from '../../hooks.js';

/** The "publicly known" flag (PROCESS.md §11): not a state, but it turns every clock to ASAP. */
export function PubliclyKnownToggle({
  c,
  onChanged,
}: {
  c: CaseDetail;
  onChanged: (notice: string) => void;
}) {
  const { busy, error, run } = useAsyncAction();
  function toggle(publiclyKnown: boolean) {
    void run(async () => {
      await api.setCasePubliclyKnown(c.id, publiclyKnown);
      onChanged(
        publiclyKnown
          ? `${c.humanId} is marked publicly known: every clock is now “as soon as possible”.`
          : `${c.humanId} is no longer marked publicly known.`,
      );
    });
  }
  return (
    <section className="panel" aria-labelledby="public-heading">
      <h2 id="public-heading">Publicly known</h2>
      <ProblemAlert error={error} title="The flag was not changed" />
      <CheckboxField
        label="The issue is publicly known"
        checked={c.publiclyKnown}
        disabled={busy}
        onChange={(e) => toggle(e.target.checked)}
      />
      <p className="hint">
        When details are public (a forum post, an exploit in the wild), every clock of the case becomes “as
        soon as possible”, and the reporter is asked whether it can still be handled privately.
      </p>
    </section>
  );
}
