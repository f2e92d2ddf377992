/** The words the fix phase's panels share: a phase's status, an untrusted link, a short commit id. */

/** A phase clock's status as the team reads it: met, missed, overdue by the hour, relaxed... */
export function phaseStatusText(status: string, hoursLate: number): string {
  switch (status) {
    case 'pending':
      return 'not started';
    case 'running':
      return 'running';
    case 'overdue':
      return `overdue by ${hours(hoursLate)}`;
    case 'met':
      return 'met';
    case 'missed':
      return `missed by ${hours(hoursLate)}`;
    case 'done':
      return 'done';
    case 'relaxed':
      return 'relaxed (low severity)';
    default:
      return status;
  }
}

/** The badge class of a phase status: late ones stand out. */
export function phaseStatusClass(status: string): string {
  if (status === 'overdue' || status === 'missed') return 'badge badge-danger';
  if (status === 'met' || status === 'done') return 'badge badge-success';
  if (status === 'relaxed') return 'badge badge-warning';
  return 'badge';
}

function hours(n: number): string {
  if (n < 1) return 'less than an hour';
  if (n < 48) return `${n} h`;
  return `${Math.floor(n / 24)} days ${n % 24} h`;
}

/**
 * A link a person typed, safe to put in an href: http(s) only (never `javascript:` or `data:`);
 * null otherwise, and the text is shown as text.
 */
export function safeHref(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/** The first 12 characters of a commit id. */
export function shortSha(sha: string): string {
  return sha.slice(0, 12);
}

/** An ISO instant as a `datetime-local` value, in the user's time zone ('' for none). */
export function toDateTimeLocal(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (the user's wall time) as an ISO instant; null when empty or invalid. */
export function fromDateTimeLocal(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
