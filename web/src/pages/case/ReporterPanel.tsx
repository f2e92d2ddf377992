import type { CaseDetail } from '../../api/types.js';

const PRIVATE_HANDLING: Record<string, string> = {
  asked: 'Asked whether it can still be handled privately; no answer yet.',
  possible: 'The reporter says it can still be handled privately.',
  declined: 'The reporter says it cannot be handled privately: treat it as public.',
};

/** Who reported the case and how they want to be credited. */
export function ReporterPanel({ c }: { c: CaseDetail }) {
  const { credit, email } = c.reporter;
  const rows: [string, string][] = [
    ['Name', credit.name ?? ''],
    ['Handle', credit.handle ?? ''],
    ['Affiliation', credit.affiliation ?? ''],
    ['Email', email ?? ''],
  ];
  const handling = PRIVATE_HANDLING[c.privateHandling];
  return (
    <section className="panel" aria-labelledby="reporter-heading" data-testid="reporter-panel">
      <h2 id="reporter-heading">Reporter</h2>
      <dl className="facts">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value || <span className="meta">not given</span>}</dd>
          </div>
        ))}
        <div>
          <dt>Credit</dt>
          <dd>{credit.anonymous ? 'Anonymously' : 'As given above'}</dd>
        </div>
      </dl>
      {handling ? <p className="hint">{handling}</p> : null}
    </section>
  );
}
