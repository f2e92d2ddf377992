import type { ReactNode } from 'react';

interface SectionProps {
  /** The heading's id, which labels the section (other code may scroll to it). */
  headingId: string;
  title: string;
  className?: string;
  children: ReactNode;
}

/** A part of a page under an h2 heading, which names it for assistive technology. */
export function Section({ headingId, title, className, children }: SectionProps) {
  return (
    <section className={className} aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}
