import type { ReactNode } from 'react';

/** A polite "loading" message for assistive technology and sighted users alike. */
export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="loading" role="status">
      {what}…
    </p>
  );
}

/** A success or information message, announced politely. */
export function Notice({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <div className="alert alert-success" role="status">
      {children}
    </div>
  );
}

interface AlertProps {
  title: string;
  tone?: 'error' | 'warning';
  children?: ReactNode;
}

/** A problem the user should know of at once: a title, then what happened or what to do. */
export function Alert({ title, tone = 'error', children }: AlertProps) {
  return (
    <div className={`alert alert-${tone}`} role="alert">
      <p className="alert-title">{title}</p>
      {children}
    </div>
  );
}
