import { useState, type FormEvent } from 'react';
import { CASE_STATES, TRIAGE_OPEN_STATES, type ProjectSummary } from '../../api/types.js';
import {
  CASE_FLAGS,
  CHANNELS,
  MAX_SEARCH_LENGTH,
  PAGE_SIZES,
  SEVERITIES,
  type InboxParam,
  type InboxView,
} from '../../cases/inbox-view.js';
import { stateLabel } from '../../cases/words.js';
import { CheckboxField, SelectField } from '../../components/Field.js';

const OPEN = TRIAGE_OPEN_STATES.join(',');

const CHANNEL_LABELS: Record<(typeof CHANNELS)[number], string> = {
  web: 'Web form',
  api: 'API',
  email: 'Mail',
  import: 'Import',
};

const SEVERITY_LABELS: Record<(typeof SEVERITIES)[number], string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  none: 'None (0.0)',
  unscored: 'Not scored',
};

const FLAG_LABELS: Record<(typeof CASE_FLAGS)[number], string> = {
  undecryptable: 'Could not be decrypted',
  'unverified-sender': 'Unverified sender',
  'publicly-known': 'Publicly known',
};

/** The search box: the words every title found must contain (or a case id), sent on Enter. */
export function InboxSearch({ view, onSearch }: { view: InboxView; onSearch: (q: string) => void }) {
  // Keyed by the URL's search, so Back and a link show what they searched for.
  return <SearchForm key={view.q} initial={view.q} onSearch={onSearch} />;
}

function SearchForm({ initial, onSearch }: { initial: string; onSearch: (q: string) => void }) {
  const [typed, setTyped] = useState(initial);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSearch(typed.trim());
  }
  return (
    <form className="inbox-search" role="search" aria-label="Search cases" onSubmit={submit}>
      <div className="field">
        <label htmlFor="inbox-q">Search titles</label>
        <input
          id="inbox-q"
          type="search"
          name="q"
          maxLength={MAX_SEARCH_LENGTH}
          aria-describedby="inbox-q-hint"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        <p id="inbox-q-hint" className="hint">
          Every word must be in the title; or a case id, e.g. ABC-2026-0042.
        </p>
      </div>
      <div className="inbox-search-actions">
        <button type="submit">Search</button>
        {initial ? (
          <button type="button" className="button-quiet" onClick={() => onSearch('')}>
            Clear the search
          </button>
        ) : null}
      </div>
    </form>
  );
}

interface FiltersProps {
  view: InboxView;
  projects: ProjectSummary[] | undefined;
  /** The reports held as possibly a flood, which the inbox leaves out unless asked. */
  heldCount: number;
  onChange: (name: InboxParam, value: string) => void;
}

/** The filters, the order and the page size; each change is a new URL (the list's first page). */
export function InboxFilters({ view, projects, heldCount, onChange }: FiltersProps) {
  const stateOptions = [
    { value: '', label: 'All states' },
    { value: OPEN, label: 'Open (received, in triage, needs information)' },
    ...CASE_STATES.map((s) => ({ value: s, label: stateLabel(s) })),
  ];
  if (view.stateParam && !stateOptions.some((o) => o.value === view.stateParam)) {
    stateOptions.push({
      value: view.stateParam,
      label: view.states.map(stateLabel).join(', ') || view.stateParam,
    });
  }
  return (
    <form className="inbox-filters" aria-label="Filter cases" onSubmit={(e) => e.preventDefault()}>
      <div className="filters">
        <SelectField
          label="Project"
          value={view.project}
          onChange={(e) => onChange('project', e.target.value)}
        >
          <option value="">All your projects</option>
          {view.project && !projects?.some((p) => p.slug === view.project) ? (
            <option value={view.project}>{view.project}</option>
          ) : null}
          {projects?.map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="State"
          value={view.stateParam}
          onChange={(e) => onChange('state', e.target.value)}
        >
          {stateOptions.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="First response"
          value={view.clock ?? ''}
          onChange={(e) => onChange('clock', e.target.value)}
        >
          <option value="">Any</option>
          <option value="overdue">Overdue (unanswered, past due)</option>
          <option value="due-24h">Due within 24 hours</option>
        </SelectField>
        <SelectField label="Order" value={view.sort} onChange={(e) => onChange('sort', e.target.value)}>
          <option value="urgency">Most urgent first</option>
          <option value="received">Newest first</option>
        </SelectField>
        <SelectField
          label="Cases per page"
          value={String(view.limit)}
          onChange={(e) => onChange('limit', e.target.value)}
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="filter-groups">
        <CheckboxGroup
          legend="Channel"
          values={CHANNELS}
          labels={CHANNEL_LABELS}
          selected={view.channels}
          onChange={(value) => onChange('channel', value)}
        />
        <CheckboxGroup
          legend="Severity"
          values={SEVERITIES}
          labels={SEVERITY_LABELS}
          selected={view.severities}
          onChange={(value) => onChange('severity', value)}
        />
        <CheckboxGroup
          legend="Flags"
          values={CASE_FLAGS}
          labels={FLAG_LABELS}
          selected={view.flags}
          onChange={(value) => onChange('flag', value)}
        />
        <fieldset className="filter-group">
          <legend>Only</legend>
          <CheckboxField
            label="Assigned to me (the cases I lead)"
            checked={view.assignedToMe}
            onChange={(e) => onChange('assigned', e.target.checked ? 'me' : '')}
          />
          <CheckboxField
            label={`Held: possibly a flood (${heldCount})`}
            checked={view.held}
            onChange={(e) => onChange('held', e.target.checked ? 'true' : '')}
          />
        </fieldset>
      </div>
    </form>
  );
}

/** A fieldset of checkboxes whose checked values make one comma list (none checked: no filter). */
function CheckboxGroup<V extends string>({
  legend,
  values,
  labels,
  selected,
  onChange,
}: {
  legend: string;
  values: readonly V[];
  labels: Record<V, string>;
  selected: readonly V[];
  onChange: (commaList: string) => void;
}) {
  function toggle(value: V, on: boolean) {
    const next = values.filter((v) => (v === value ? on : selected.includes(v)));
    onChange(next.join(','));
  }
  return (
    <fieldset className="filter-group">
      <legend>{legend}</legend>
      {values.map((value) => (
        <CheckboxField
          key={value}
          label={labels[value]}
          checked={selected.includes(value)}
          onChange={(e) => toggle(value, e.target.checked)}
        />
      ))}
    </fieldset>
  );
}
