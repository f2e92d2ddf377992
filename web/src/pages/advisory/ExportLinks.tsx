import { useId, useState } from 'react';
import {
  EXPORT_FORMATS,
  exportUrl,
  VEX_JUSTIFICATIONS,
  vexExportUrl,
  type Advisory,
  type VexJustification,
} from '../../api/advisory.js';

/**
 * Downloads of the saved advisory in each standard format: plain same-origin links, so the
 * browser sends the session cookie and saves the file the server names. A CVE record is published
 * or rejected: a draft's CVE JSON 5 export is the CNA container marked a draft (no record state),
 * and a published or withdrawn advisory's record needs a CVE id.
 */
export function ExportLinks({ advisory, dirty }: { advisory: Advisory; dirty: boolean }) {
  const isDraft = advisory.state === 'draft';
  return (
    <>
      {dirty ? (
        <p className="hint">The exports are of the saved revision: save first to include your edits.</p>
      ) : null}
      <ul className="export-links" data-testid="advisory-exports">
        {EXPORT_FORMATS.filter(({ format }) => format !== 'vex').map(({ format, label }) =>
          format === 'cve5' && isDraft ? (
            <li key={format}>
              <a href={exportUrl(advisory.caseId, format, { draft: 'true' })} download>
                {label} draft for the CNA
              </a>
            </li>
          ) : format === 'cve5' && !advisory.cveId ? (
            <li key={format}>
              <span className="export-disabled" aria-disabled="true" aria-describedby="export-cve5-why">
                {label}
              </span>
              <span id="export-cve5-why" className="visually-hidden">
                : needs a CVE id
              </span>
            </li>
          ) : (
            <li key={format}>
              <a href={exportUrl(advisory.caseId, format)} download>
                {label}
              </a>
            </li>
          ),
        )}
      </ul>
      {isDraft ? (
        <p className="hint" data-testid="cve5-draft-hint">
          A draft is no CVE record yet (a record is published or rejected): the CVE JSON 5 draft is the CNA
          container for your CNA, with no record state. The record itself comes once the advisory is
          published.
        </p>
      ) : !advisory.cveId ? (
        <p className="hint">CVE JSON 5 needs a CVE id: record it under “CVE”.</p>
      ) : null}
      <VexExport caseId={advisory.caseId} />
    </>
  );
}

/** A CSAF VEX document stating that the listed products are NOT affected: it needs why, in words. */
function VexExport({ caseId }: { caseId: string }) {
  const id = useId();
  const [justification, setJustification] = useState<VexJustification>('vulnerable_code_not_present');
  const [impact, setImpact] = useState('');
  const ready = impact.trim().length > 0;
  return (
    <details className="vex-export">
      <summary>CSAF VEX: the listed products are not affected</summary>
      <label htmlFor={`${id}-why`}>Why they are not affected</label>
      <select
        id={`${id}-why`}
        value={justification}
        onChange={(e) => setJustification(e.target.value as VexJustification)}
      >
        {VEX_JUSTIFICATIONS.map((j) => (
          <option key={j.value} value={j.value}>
            {j.label}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-impact`}>Impact statement</label>
      <textarea
        id={`${id}-impact`}
        rows={3}
        maxLength={2000}
        value={impact}
        onChange={(e) => setImpact(e.target.value)}
      />
      {ready ? (
        <a href={vexExportUrl(caseId, justification, impact.trim())} download>
          Download the VEX document
        </a>
      ) : (
        <p className="hint">Say why the products are not affected to export the VEX document.</p>
      )}
    </details>
  );
}
