/**
 * The way back through the inbox's pages. A keyset cursor only goes forward, and the URL holds only
 * the current page's cursor (a stack of sealed cursors would outgrow a URL by page 100), so each
 * step forward is remembered here: the page a cursor came from. The stack lives in the tab's
 * sessionStorage, so Previous still works after a reload; a link opened elsewhere has no stack,
 * and offers the first page instead.
 */

const STORAGE_KEY = 'vigil.inbox.previous';
/** Enough for a session of paging (a step is about 300 bytes); the oldest are forgotten first. */
const MAX_STEPS = 1000;

/** A page of one list: its cursor ('' for the first page). */
type Steps = Record<string, string>;

function entry(list: string, cursor: string): string {
  return `${list}\n${cursor}`;
}

function load(): Steps {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Steps) : {};
  } catch {
    return {};
  }
}

function save(steps: Steps): void {
  try {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(steps));
  } catch {
    // Storage full or refused: Previous falls back to the first page.
  }
}

/** Remembers that the page after `from` (null: the first page) of list `list` is `to`. */
export function rememberStep(list: string, from: string | null, to: string): void {
  const steps = load();
  const key = entry(list, to);
  delete steps[key];
  steps[key] = from ?? '';
  const keys = Object.keys(steps);
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_STEPS))) delete steps[old];
  save(steps);
}

/**
 * The cursor of the page before the one `cursor` starts: null for the first page, undefined when
 * this tab does not know it.
 */
export function previousCursor(list: string, cursor: string): string | null | undefined {
  const from = load()[entry(list, cursor)];
  if (from === undefined) return undefined;
  return from === '' ? null : from;
}
