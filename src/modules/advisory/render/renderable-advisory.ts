/**
 * What a render reads of an advisory, computed from its row and document without a caller: for the
 * jobs that render the announcement and the "a fix is coming" notice as Vigil itself. The team's
 * renders go through the advisory service's view, which carries the same fields.
 */
import { overallSeverity, scoreVectors } from '../advisory-severity.js';
import type { AdvisoryRow } from '../advisory.repo.js';
import { patchedVersions, type AdvisoryDocument } from '../advisory.schemas.js';
import type { RenderableAdvisory } from './render-context.js';

/** The render input of `row` with its current `document` and its (decrypted) CVE id. Pure. */
export function renderableAdvisory(
  row: Pick<AdvisoryRow, 'advisory_id' | 'state'>,
  document: AdvisoryDocument,
  cveId: string | null,
): RenderableAdvisory {
  const scored = scoreVectors(document);
  const overall = overallSeverity(scored);
  const pick = (s: (typeof scored)[number]) => ({
    vector: s.vector,
    version: s.version,
    score: s.score,
    severity: s.severity,
  });
  return {
    advisoryId: row.advisory_id,
    cveId,
    state: row.state,
    document,
    cvss: scored.map(pick),
    severity: overall && pick(overall),
    patchedVersions: patchedVersions(document),
  };
}
