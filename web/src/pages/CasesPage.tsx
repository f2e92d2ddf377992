import { useEffect, useRef, useState } from 'react';
import * as api from '../api/endpoints.js';
import type { CasePage, CaseSummary } from '../api/types.js';
import { previousCursor, rememberStep } from '../cases/inbox-pages.js';
import {
  clearedUrl,
  describeRange,
  formatTotal,
  inboxQuery,
  isFiltered,
  listKey,
  pageUrl,
  readInboxView,
  withParam,
  type InboxParam,
  type InboxView,
} from '../cases/inbox-view.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { Section } from '../components/Section.js';
import { Notice } from '../components/Status.js';
import { useNow, useResource, useTitle } from '../hooks.js';
import { Link, navigate, useLocation } from '../router.js';
import { BulkTriage } from './cases/BulkTriage.js';
import { InboxFilters, InboxSearch } from './cases/InboxFilters.js';
import { InboxTable, type SelectedCase } from './cases/InboxTable.js';
import { loadWatchdog, Watchdog } from './cases/Watchdog.js';

/**
 * The inbox: the cases of all the caller's projects and those they were invited to, a page at a
 * time (the server's keyset pages: Next follows the page's sealed cursor, Previous the cursors this
 * tab came through), most urgent first or newest first, with the count of all that match. The
 * filters (project, state, first-response clock, channel, severity, flags, "assigned to me",
 * "held": reports held as possibly a flood, left out otherwise), the search over titles, the order
 * and the page all live in the query string, so a reload, Back and a shared link show the same
 * page. Cases selected on any page of the list can be rejected, or marked duplicates, together.
 * Above it, the "Unacknowledged" watchdog, which no filter hides.
 */
export function CasesPage() {
  useTitle('Cases');
  const now = useNow();
  const { searchParams } = useLocation();
  const view = readInboxView(searchParams);
  const list = listKey(view);
  const query = inboxQuery(view);
  const cases = useResource(`cases:${list}:${view.cursor ?? ''}`, (signal) => api.listCases(query, signal));
  const watchdog = useResource('watchdog', (signal) => loadWatchdog(signal));
  const projects = useResource('projects', (signal) => api.listProjects(signal));

  // While the next page loads, the last one stays on screen (marked busy), so nothing jumps.
  const shown = useRef<CasePage | undefined>(undefined);
  if (cases.data) shown.current = cases.data;
  if (cases.error) shown.current = undefined;
  const page = cases.data ?? shown.current;

  // The selection belongs to one list (its filters and search): another list starts with none.
  const [selection, setSelection] = useState<{ list: string; cases: Map<string, SelectedCase> }>({
    list,
    cases: new Map(),
  });
  const selected = selection.list === list ? selection.cases : new Map<string, SelectedCase>();
  const [notice, setNotice] = useState<{ list: string; text: string } | null>(null);

  function select(rows: CaseSummary[], on: boolean) {
    const next = new Map(selected);
    for (const c of rows) {
      if (on) next.set(c.id, { id: c.id, humanId: c.humanId, project: c.project, state: c.state });
      else next.delete(c.id);
    }
    setSelection({ list, cases: next });
  }

  // After a page change, focus goes to the new page's table unless it is still on a control.
  const table = useRef<HTMLTableElement>(null);
  const paged = useRef(false);
  useEffect(() => {
    if (!paged.current || !cases.data) return;
    paged.current = false;
    const active = document.activeElement;
    if (!active || active === document.body || (active instanceof HTMLButtonElement && active.disabled)) {
      table.current?.focus();
    }
  }, [cases.data]);

  function change(name: InboxParam, value: string) {
    navigate(withParam(searchParams, name, value), { replace: name !== 'q' });
  }

  function goTo(cursor: string | null, number: number) {
    paged.current = true;
    navigate(pageUrl(searchParams, cursor, number));
  }

  const filtered = isFiltered(view);
  const heldCount = page?.heldCount ?? watchdog.data?.overdue.heldCount ?? 0;
  const error = cases.error;
  const badCursor = error?.status === 400 && error.issues.some((i) => i.path.endsWith('cursor'));

  return (
    <>
      <h1>Cases</h1>
      <Watchdog data={watchdog} now={now} />

      <Section headingId="inbox-heading" title="Inbox">
        <InboxSearch view={view} onSearch={(q) => change('q', q)} />
        <InboxFilters
          view={view}
          projects={projects.data?.projects}
          heldCount={heldCount}
          onChange={change}
        />
        {filtered ? (
          <p className="clear-filters">
            <Link to={clearedUrl(searchParams)}>Clear the filters and the search</Link>
          </p>
        ) : null}
        {heldCount > 0 && !view.held ? (
          <p className="hint" data-testid="held-count">
            <span className="badge">{heldCount}</span> {heldCount === 1 ? 'report is' : 'reports are'} held as
            possibly a flood: they came in over a project’s hourly quota and are not shown here until the
            reporter confirms them or you release them.{' '}
            <Link to="/cases?held=true">Show the held reports</Link>
          </p>
        ) : null}
        {view.held ? (
          <p className="hint">
            Held reports came in over the project’s quota (possibly a flood). Nobody was told and no response
            clock runs until one is released: open a report to release it or reject it.
          </p>
        ) : null}

        {error?.status === 404 && view.project ? (
          <p className="empty">
            You are not on the security team of a project “{view.project}”.{' '}
            <Link to="/cases">Show the cases of all your projects</Link>
          </p>
        ) : badCursor ? (
          <p className="empty" data-testid="stale-page">
            This page of the list can no longer be shown (the link is old, or the filters changed).{' '}
            <Link to={pageUrl(searchParams, null, 1)}>Go to the first page</Link>
          </p>
        ) : (
          <ProblemAlert error={error} />
        )}
        {notice?.list === list ? <Notice>{notice.text}</Notice> : null}

        <p id="inbox-count" className="inbox-count" role="status" data-testid="inbox-count">
          {cases.data ? countLine(view, cases.data) : cases.loading ? 'Loading cases…' : ''}
        </p>

        <BulkTriage
          selection={selected}
          onClear={() => setSelection({ list, cases: new Map() })}
          onDeselect={(ids) => {
            const next = new Map(selected);
            for (const id of ids) next.delete(id);
            setSelection({ list, cases: next });
          }}
          onDone={(text) => {
            setNotice({ list, text });
            setSelection({ list, cases: new Map() });
            cases.reload();
            watchdog.reload();
          }}
        />

        {page && !error ? (
          page.cases.length === 0 ? (
            <Empty view={view} filtered={filtered} searchParams={searchParams} />
          ) : (
            <>
              <InboxTable
                cases={page.cases}
                now={now}
                selection={selected}
                onSelect={select}
                labelledBy="inbox-count"
                busy={cases.loading}
                tableRef={table}
              />
              <Pager view={view} page={page} list={list} busy={cases.loading} onPage={goTo} />
            </>
          )
        ) : null}
      </Section>
    </>
  );
}

function countLine(view: InboxView, page: CasePage): string {
  return describeRange(
    view.page,
    view.limit,
    page.cases.length,
    page.total,
    page.totalIsEstimate,
    page.nextCursor !== null,
  );
}

function Empty({
  view,
  filtered,
  searchParams,
}: {
  view: InboxView;
  filtered: boolean;
  searchParams: URLSearchParams;
}) {
  if (view.page > 1) {
    return (
      <p className="empty">
        No more cases. <Link to={pageUrl(searchParams, null, 1)}>Go to the first page</Link>
      </p>
    );
  }
  const q = view.q.trim();
  if (q) {
    const others = isFiltered({ ...view, q: '' });
    return (
      <p className="empty">
        No case title has all the words “{q}”{others ? ' among the cases these filters show' : ''}.
      </p>
    );
  }
  return <p className="empty">{filtered ? 'No case matches these filters.' : 'No cases yet.'}</p>;
}

/**
 * Previous and Next (and First when this tab does not know the page before: a shared link), and
 * where this page is among all.
 */
function Pager({
  view,
  page,
  list,
  busy,
  onPage,
}: {
  view: InboxView;
  page: CasePage;
  list: string;
  busy: boolean;
  onPage: (cursor: string | null, number: number) => void;
}) {
  const previous = view.cursor === null ? undefined : previousCursor(list, view.cursor);
  const next = page.nextCursor;
  const pages = next === null ? view.page : Math.max(view.page + 1, Math.ceil(page.total / view.limit));
  const estimate = page.totalIsEstimate && next !== null;
  // While a page loads, the buttons keep their place and focus but do nothing (aria-disabled).
  const waiting = busy ? true : undefined;
  return (
    <nav className="pager" aria-label="Pages of the inbox">
      {view.page > 1 && previous === undefined ? (
        <button type="button" aria-disabled={waiting} onClick={() => !busy && onPage(null, 1)}>
          First page
        </button>
      ) : null}
      <button
        type="button"
        disabled={view.page <= 1 || previous === undefined}
        aria-disabled={waiting}
        onClick={() => !busy && onPage(previous ?? null, view.page - 1)}
      >
        Previous page
      </button>
      <span className="pager-where" data-testid="pager-where">
        Page {view.page} of {formatTotal(pages, estimate)}
      </span>
      <button
        type="button"
        disabled={next === null}
        aria-disabled={waiting}
        onClick={() => {
          if (busy || next === null) return;
          rememberStep(list, view.cursor, next);
          onPage(next, view.page + 1);
        }}
      >
        Next page
      </button>
    </nav>
  );
}
