import type { ReactNode } from 'react';

interface RowListProps<T> {
  items: readonly T[];
  onChange: (items: T[]) => void;
  /** Renders the fields of one row; `set` replaces that row. */
  renderRow: (item: T, index: number, set: (item: T) => void) => ReactNode;
  /** The row appended by the add button. */
  newItem: () => T;
  /** The add button's text, e.g. "Add a reference". */
  addLabel: ReactNode;
  /** One row in words, for screen readers: "Remove reference 2". */
  itemName: string;
  disabled: boolean;
  /** The list's accessible name. */
  label?: string;
  /** Shown when there is no row yet. */
  empty?: string;
  /** Whether a row may go (false keeps the last event of a range). */
  canRemove?: boolean;
  /** More buttons after the add button. */
  actions?: ReactNode;
}

/**
 * An editable list of rows (references, credits, range events): each row's fields and a Remove
 * button, then a button that appends a row.
 */
export function RowList<T>({
  items,
  onChange,
  renderRow,
  newItem,
  addLabel,
  itemName,
  disabled,
  label,
  empty,
  canRemove = true,
  actions,
}: RowListProps<T>) {
  const replace = (index: number, item: T) => onChange(items.map((x, i) => (i === index ? item : x)));
  return (
    <>
      {items.length === 0 && empty ? <p className="hint">{empty}</p> : null}
      <ul className="row-list" aria-label={label}>
        {items.map((item, i) => (
          <li key={i}>
            {renderRow(item, i, (next) => replace(i, next))}
            <button
              type="button"
              className="button-small button-quiet"
              disabled={disabled || !canRemove}
              onClick={() => onChange(items.filter((_, k) => k !== i))}
            >
              Remove
              <span className="visually-hidden">
                {' '}
                {itemName} {i + 1}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button
          type="button"
          className="button-small"
          disabled={disabled}
          onClick={() => onChange([...items, newItem()])}
        >
          {addLabel}
        </button>
        {actions}
      </div>
    </>
  );
}
