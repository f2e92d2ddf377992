/**
 * The inbox's view as its URL holds it, so that a reload, the Back button and a shared link show the
 * same page: the filters, the order, the search, the page size, and the page itself (the sealed
 * `nextCursor` the server gave for it, with its number for the "51–100 of 1,234" line). Pure: a query
 * string in, a view out, and back.
 *
 * The URL's names are the API's, but for two kept from before: `assigned=me` (the API's
 * `assignee=me`) and a page's `cursor` with its `page` number. Anything the URL says that the inbox
 * does not know is left out rather than sent (an old bookmark with a removed value still opens).
 */
import { isCaseState, type CaseState } from '../api/types.js';

export const INBOX_SORTS = ['urgency', 'received'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];

export const CLOCK_FILTERS = ['overdue', 'due-24h'] as const;
export type ClockFilter = (typeof CLOCK_FILTERS)[number];

/** The ways a report comes in (cases.channel): the web form, the API, mail, an import. */
export const CHANNELS = ['web', 'api', 'email', 'import'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The severity bands: the advisory's CVSS severity, `unscored` for a case without one. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none', 'unscored'] as const;
export type SeverityBand = (typeof SEVERITIES)[number];

export const CASE_FLAGS = ['undecryptable', 'unverified-sender', 'publicly-known'] as const;
export type CaseFlag = (typeof CASE_FLAGS)[number];

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;

/** The longest search the box sends (the API takes more; no title is this long). */
export const MAX_SEARCH_LENGTH = 500;

export interface InboxView {
  project: string;
  /** The `state` parameter as given (a comma list), and the states it names. */
  stateParam: string;
  states: CaseState[];
  clock: ClockFilter | null;
  channels: Channel[];
  severities: SeverityBand[];
  flags: CaseFlag[];
  assignedToMe: boolean;
  held: boolean;
  sort: InboxSort;
  q: string;
  limit: number;
  /** The page's cursor (the `nextCursor` of the page before), null on the first page. */
  cursor: string | null;
  /** The page's number, from 1. */
  page: number;
}

function member<T extends string>(values: readonly T[], value: string | null): T | null {
  return values.find((v) => v === value) ?? null;
}

/** The known values of a comma list, each once, in the list's own order. */
function list<T extends string>(values: readonly T[], param: string | null): T[] {
  const given = new Set((param ?? '').split(','));
  return values.filter((v) => given.has(v));
}

/** The view a query string describes; unknown values are dropped. */
export function readInboxView(params: URLSearchParams): InboxView {
  const stateParam = params.get('state') ?? '';
  const limit = Number(params.get('limit'));
  const cursor = params.get('cursor') || null;
  const page = Number(params.get('page'));
  return {
    project: params.get('project') ?? '',
    stateParam,
    states: stateParam.split(',').filter(isCaseState),
    clock: member(CLOCK_FILTERS, params.get('clock')),
    channels: list(CHANNELS, params.get('channel')),
    severities: list(SEVERITIES, params.get('severity')),
    flags: list(CASE_FLAGS, params.get('flag')),
    assignedToMe: params.get('assigned') === 'me',
    held: params.get('held') === 'true',
    sort: member(INBOX_SORTS, params.get('sort')) ?? 'urgency',
    q: (params.get('q') ?? '').slice(0, MAX_SEARCH_LENGTH),
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_PAGE_SIZE,
    cursor,
    page: cursor && Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** Whether anything narrows the list (the search included): "no case matches" rather than "no cases". */
export function isFiltered(view: InboxView): boolean {
  return (
    view.project !== '' ||
    view.states.length > 0 ||
    view.clock !== null ||
    view.channels.length > 0 ||
    view.severities.length > 0 ||
    view.flags.length > 0 ||
    view.assignedToMe ||
    view.held ||
    view.q.trim() !== ''
  );
}

/** What the API is asked for this view: the `listCases` query (empty values left out). */
export function inboxQuery(view: InboxView) {
  const comma = (values: readonly string[]) => (values.length > 0 ? values.join(',') : undefined);
  const q = view.q.trim();
  return {
    project: view.project || undefined,
    state: comma(view.states),
    clock: view.clock ?? undefined,
    channel: comma(view.channels),
    severity: comma(view.severities),
    flag: comma(view.flags),
    assignee: view.assignedToMe ? ('me' as const) : undefined,
    held: view.held ? ('true' as const) : undefined,
    sort: view.sort === 'urgency' ? undefined : view.sort,
    q: q || undefined,
    limit: view.limit === DEFAULT_PAGE_SIZE ? undefined : view.limit,
    cursor: view.cursor ?? undefined,
  };
}

/**
 * The list a view's pages belong to: everything but the page. Two views with the same key page
 * through the same rows; a cursor is only good within its key (the server seals the filter in it).
 */
export function listKey(view: InboxView): string {
  return JSON.stringify({ ...inboxQuery(view), cursor: undefined });
}

/** The filters and settings the URL may change, by their URL name. */
export type InboxParam =
  | 'project'
  | 'state'
  | 'clock'
  | 'channel'
  | 'severity'
  | 'flag'
  | 'assigned'
  | 'held'
  | 'sort'
  | 'q'
  | 'limit';

function toUrl(params: URLSearchParams): string {
  const qs = params.toString();
  return `/cases${qs ? `?${qs}` : ''}`;
}

/**
 * The URL of the first page with `name` set to `value` (removed when empty, or when it is the
 * default): any other change of the list starts again from its first page.
 */
export function withParam(params: URLSearchParams, name: InboxParam, value: string): string {
  const next = new URLSearchParams(params);
  next.delete('cursor');
  next.delete('page');
  const isDefault =
    value === '' ||
    (name === 'sort' && value === 'urgency') ||
    (name === 'limit' && value === String(DEFAULT_PAGE_SIZE));
  if (isDefault) next.delete(name);
  else next.set(name, value);
  return toUrl(next);
}

/** The URL of page `page` of the same list, which starts after `cursor` (null: the first page). */
export function pageUrl(params: URLSearchParams, cursor: string | null, page: number): string {
  const next = new URLSearchParams(params);
  if (cursor === null || page <= 1) {
    next.delete('cursor');
    next.delete('page');
  } else {
    next.set('cursor', cursor);
    next.set('page', String(page));
  }
  return toUrl(next);
}

/** The URL without any filter, search or page: the whole inbox, most urgent first. */
export function clearedUrl(params: URLSearchParams): string {
  const next = new URLSearchParams();
  for (const keep of ['sort', 'limit']) {
    const value = params.get(keep);
    if (value) next.set(keep, value);
  }
  return toUrl(next);
}

const whole = new Intl.NumberFormat('en');

/**
 * A number of cases as the count says it: "1,234", or "at least 10,000" when the server stopped
 * counting (`totalIsEstimate`: the API's total is then a floor, "at least this many").
 */
export function formatTotal(total: number, isEstimate: boolean): string {
  return isEstimate ? `at least ${whole.format(total)}` : whole.format(total);
}

/**
 * The count line: "1–50 of 1,234 cases" (the rows shown, by their place in the whole list), "0
 * cases" when the list is empty. The total never claims fewer rows than are known to exist (those
 * before this page and on it, and one more when there is a next page); on the last page the rows
 * are all known, so the count is exact even when the server's was an estimate.
 */
export function describeRange(
  page: number,
  limit: number,
  shown: number,
  total: number,
  isEstimate: boolean,
  hasMore: boolean,
): string {
  if (shown === 0) return page > 1 ? 'No more cases' : '0 cases';
  const first = (page - 1) * limit + 1;
  const last = first + shown - 1;
  const counted = hasMore ? Math.max(total, last + 1) : last;
  const estimate = hasMore && isEstimate;
  const noun = counted === 1 ? 'case' : 'cases';
  return `${whole.format(first)}–${whole.format(last)} of ${formatTotal(counted, estimate)} ${noun}`;
}
