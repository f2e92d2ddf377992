import { useEffect, useRef, type Ref } from 'react';
import type { CaseSummary } from '../../api/types.js';
import { casePath } from '../../cases/paths.js';
import { stateClass } from '../../cases/state-palette.js';
import { stateLabel } from '../../cases/words.js';
import { ClockText } from '../../components/ClockText.js';
import { DateTime } from '../../components/DateTime.js';
import { Link } from '../../router.js';

/** What bulk triage keeps of a selected case, whichever page it was selected on. */
export type SelectedCase = Pick<CaseSummary, 'id' | 'humanId' | 'project' | 'state'>;

export type Selection = ReadonlyMap<string, SelectedCase>;

interface InboxTableProps {
  cases: CaseSummary[];
  now: number;
  selection: Selection;
  onSelect: (cases: CaseSummary[], selected: boolean) => void;
  /** Labels the table: the count line's id. */
  labelledBy: string;
  busy: boolean;
  tableRef: Ref<HTMLTableElement>;
}

/**
 * One page of cases, a checkbox on each row for bulk triage and one in the heading for the whole
 * page (mixed when only some are selected).
 */
export function InboxTable({ cases, now, selection, onSelect, labelledBy, busy, tableRef }: InboxTableProps) {
  const selectedHere = cases.filter((c) => selection.has(c.id)).length;
  const all = selectedHere === cases.length;
  const allBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (allBox.current) allBox.current.indeterminate = selectedHere > 0 && !all;
  }, [selectedHere, all]);
  return (
    <div className="table-wrap" aria-busy={busy}>
      <table data-testid="cases" aria-labelledby={labelledBy} tabIndex={-1} ref={tableRef}>
        <thead>
          <tr>
            <th scope="col" className="select-cell">
              <input
                ref={allBox}
                type="checkbox"
                aria-label={`Select all ${cases.length} cases on this page`}
                checked={all}
                onChange={(e) => onSelect(cases, e.target.checked)}
              />
            </th>
            {['Case', 'Project', 'Title', 'State', 'Severity', 'Received', 'First response', 'Fix Lead'].map(
              (label) => (
                <th key={label} scope="col">
                  {label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {cases.map((c) => {
            const selected = selection.has(c.id);
            return (
              <tr key={c.id} className={selected ? 'selected' : undefined}>
                <td className="select-cell">
                  <input
                    type="checkbox"
                    aria-label={`Select ${c.humanId}`}
                    checked={selected}
                    onChange={(e) => onSelect([c], e.target.checked)}
                  />
                </td>
                <td className="mono nowrap">
                  <Link to={casePath(c.humanId)}>{c.humanId}</Link>
                </td>
                <td>{c.project.name}</td>
                <td className="title-cell">
                  <span data-testid="row-title">{c.title}</span>
                  {c.publiclyKnown ? <span className="badge badge-danger-soft">publicly known</span> : null}
                  {c.held ? <span className="badge">held: possibly a flood</span> : null}
                  {c.flags.includes('undecryptable') ? (
                    <span className="badge">could not be decrypted</span>
                  ) : null}
                  {c.flags.includes('unverified-sender') ? (
                    <span className="badge">unverified sender</span>
                  ) : null}
                </td>
                <td>
                  <span className={stateClass(c.state)}>{stateLabel(c.state)}</span>
                </td>
                <td>
                  {c.cvssScore !== null ? (
                    `${c.cvssScore.toFixed(1)} ${c.severity ?? ''}`.trim()
                  ) : (
                    <span className="meta">not scored</span>
                  )}
                </td>
                <td className="nowrap">
                  <DateTime value={c.receivedAt} />
                </td>
                <td className="nowrap">
                  <ClockText clock={c.clock} now={now} />
                </td>
                <td>{c.fixLead ? c.fixLead.name : <span className="meta">none</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
