import { useRef, type KeyboardEvent } from 'react';
import { templateLabel } from '../../api/advisory-templates.js';

interface TemplateTabsProps {
  /** Names the tab list for assistive technology, e.g. "Advisory templates". */
  label: string;
  names: readonly string[];
  selected: string;
  onSelect: (name: string) => void;
  /** Prefix of the ids tying each tab to its panel (`${idPrefix}-tab-${name}`, `${idPrefix}-panel`). */
  idPrefix: string;
  /** Names to mark with a badge, e.g. templates with unsaved changes. */
  marked?: ReadonlySet<string>;
  markLabel?: string;
}

/**
 * One tab per template (WAI-ARIA tabs: arrow keys, Home and End move between them and select).
 * The caller renders the selected template's panel with `id={`${idPrefix}-panel`}`.
 */
export function TemplateTabs({
  label,
  names,
  selected,
  onSelect,
  idPrefix,
  marked,
  markLabel = 'unsaved',
}: TemplateTabsProps) {
  const tabs = useRef<Map<string, HTMLButtonElement>>(new Map());

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const index = names.indexOf(selected);
    let next: number | null = null;
    if (event.key === 'ArrowRight') next = (index + 1) % names.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + names.length) % names.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = names.length - 1;
    const name = next === null ? undefined : names[next];
    if (name === undefined) return;
    event.preventDefault();
    onSelect(name);
    tabs.current.get(name)?.focus();
  }

  return (
    <div className="template-tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {names.map((name) => {
        const active = name === selected;
        return (
          <button
            key={name}
            ref={(el) => {
              if (el) tabs.current.set(name, el);
              else tabs.current.delete(name);
            }}
            type="button"
            role="tab"
            id={`${idPrefix}-tab-${name}`}
            aria-selected={active}
            aria-controls={`${idPrefix}-panel`}
            tabIndex={active ? 0 : -1}
            className={active ? 'template-tab template-tab-active' : 'template-tab'}
            onClick={() => onSelect(name)}
          >
            {templateLabel(name).tab}
            {marked?.has(name) ? <span className="badge badge-warning">{markLabel}</span> : null}
          </button>
        );
      })}
    </div>
  );
}
