import type { CaseClock } from '../api/types.js';
import { describeClock } from '../cases/clock.js';

const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A case's first-response clock in words ("due in 2 days 3 h", "overdue by 5 h" in red). */
export function ClockText({ clock, now }: { clock: CaseClock; now: number }) {
  const { text, tone } = describeClock(clock, now);
  const due = clock.dueAt ? new Date(clock.dueAt) : null;
  const title =
    clock.status === 'met' && clock.respondedAt
      ? `First answered ${format.format(new Date(clock.respondedAt))}`
      : clock.status === 'asap'
        ? // Its due instant is when the report arrived: "due <that instant>" would say nothing true.
          'Due as soon as possible: the issue is publicly known'
        : due && !Number.isNaN(due.getTime())
          ? `Due ${format.format(due)}`
          : undefined;
  return (
    <span className={`clock clock-${tone}`} title={title} data-testid="clock">
      {text}
    </span>
  );
}
