import type { TableHTMLAttributes } from 'react';

/** A column heading; `numeric` right-aligns the column. */
export type Column = string | { label: string; numeric: boolean };

type DataTableProps = TableHTMLAttributes<HTMLTableElement> & {
  columns: Column[];
  /** Adds a last column for the rows' buttons, its heading for screen readers only. */
  actions?: boolean;
};

/** A table that scrolls sideways on narrow screens; the rows are its children. */
export function DataTable({ columns, actions = false, children, ...table }: DataTableProps) {
  return (
    <div className="table-wrap">
      <table {...table}>
        <thead>
          <tr>
            {columns.map((column) => {
              const { label, numeric } =
                typeof column === 'string' ? { label: column, numeric: false } : column;
              return (
                <th key={label} scope="col" className={numeric ? 'num' : undefined}>
                  {label}
                </th>
              );
            })}
            {actions ? (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
