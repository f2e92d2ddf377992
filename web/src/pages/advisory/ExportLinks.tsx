import { EXPORT_FORMATS, exportUrl, type Advisory } from '../../api/advisory.js';

/**
 * Downloads of the saved advisory in each standard format: plain same-origin links, so the
 * browser sends the session cookie and saves the file the server names. CVE JSON 5 needs a CVE id.
 */
export function ExportLinks({ advisory, dirty }: { advisory: Advisory; dirty: boolean }) {
  return (
    <>
      {dirty ? (
        <p className="hint">The exports are of the saved revision: save first to include your edits.</p>
      ) : null}
      <ul className="export-links" data-testid="advisory-exports">
        {EXPORT_FORMATS.map(({ format, label }) =>
          format === 'cve5' && !advisory.cveId ? (
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
      {!advisory.cveId ? <p className="hint">CVE JSON 5 needs a CVE id: record it under “CVE”.</p> : null}
    </>
  );
}
