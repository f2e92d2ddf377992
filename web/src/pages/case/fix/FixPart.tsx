import type { ReactNode } from 'react';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { Section } from '../../../components/Section.js';
import { Loading, Notice } from '../../../components/Status.js';
import type { Resource } from '../../../hooks.js';

/**
 * One part of the case's fix phase: a section with its notice, whose body is drawn from one
 * resource once it has loaded (while loading: a status line; on failure: the problem).
 */
export function FixPart<T>({
  headingId,
  title,
  notice,
  found,
  what,
  children,
}: {
  headingId: string;
  title: string;
  notice: string;
  found: Resource<T>;
  /** What loads, as in "Loading the phases" and "The phases could not be loaded". */
  what: string;
  children: (data: T) => ReactNode;
}) {
  let body: ReactNode;
  if (found.data !== undefined) body = children(found.data);
  else if (found.error) {
    const subject = what.charAt(0).toUpperCase() + what.slice(1);
    body = <ProblemAlert error={found.error} title={`${subject} could not be loaded`} />;
  } else body = <Loading what={`Loading ${what}`} />;
  return (
    <Section headingId={headingId} title={title} className="fix-part">
      <Notice>{notice}</Notice>
      {body}
    </Section>
  );
}
