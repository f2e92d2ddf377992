/**
 * The retrospective's blameless critique (PROCESS.md §9): the sections the team writes, with the
 * questions that guide an empty one. Pure vocabulary and parsing; the text is stored encrypted
 * (`retrospectives.sections_enc`) and shown as plain text, never as HTML.
 */

/** The written sections, in the order the retrospective shows them. */
export const SECTION_KEYS = ['wentWell', 'wentWrong', 'luck', 'actionItems', 'introducedBy'] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

/** What the team wrote: each section's text, and the links to what introduced the issue. */
export interface StoredSections {
  text: Partial<Record<SectionKey, string>>;
  introducedByLinks: string[];
}

export const EMPTY_SECTIONS: StoredSections = { text: {}, introducedByLinks: [] };

/** Each section's title and the questions that guide it; blameless: about the process, never a person. */
export const SECTION_GUIDES: Record<SectionKey, { title: string; questions: string[] }> = {
  wentWell: {
    title: 'What went well',
    questions: [
      'Which parts of the process helped the fix ship safely and on time?',
      'What should the team keep doing on the next case?',
    ],
  },
  wentWrong: {
    title: 'What went wrong',
    questions: [
      'Which phases ran late, and what held them up?',
      'Where did the process, the tools or the documentation get in the way?',
      'Did anything leak, or come close to leaking, before disclosure?',
    ],
  },
  luck: {
    title: 'Where we got lucky',
    questions: [
      'What could have gone wrong but did not, and why not?',
      'Which safeguard would have caught it if luck had run out?',
    ],
  },
  actionItems: {
    title: 'Action items',
    questions: [
      'What will change in the code, the tests or the process, and who takes each item?',
      'How will the team know that each item is done?',
    ],
  },
  introducedBy: {
    title: 'What introduced the issue',
    questions: [
      'Which change introduced the vulnerability, and when was it released?',
      'Why did review, tests or fuzzing not catch it?',
      'Where else could the same pattern hide?',
    ],
  },
};

/** Reads the decrypted JSON of `sections_enc`, keeping only well-formed parts. */
export function parseStoredSections(json: string | null): StoredSections {
  if (!json) return { text: {}, introducedByLinks: [] };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { text: {}, introducedByLinks: [] };
  }
  const v = (value ?? {}) as { text?: Record<string, unknown>; introducedByLinks?: unknown };
  const text: Partial<Record<SectionKey, string>> = {};
  for (const key of SECTION_KEYS) {
    const t = v.text?.[key];
    if (typeof t === 'string') text[key] = t;
  }
  const links = Array.isArray(v.introducedByLinks)
    ? v.introducedByLinks.filter((l): l is string => typeof l === 'string')
    : [];
  return { text, introducedByLinks: links };
}

/**
 * `stored` with the sections `update` names replaced, and the names of those whose content changed
 * (for the audit event, which never carries the text).
 */
export function mergeSections(
  stored: StoredSections,
  update: Partial<Record<SectionKey, string>> & { introducedByLinks?: string[] | undefined },
): { sections: StoredSections; changed: string[] } {
  const text = { ...stored.text };
  const changed: string[] = [];
  for (const key of SECTION_KEYS) {
    const next = update[key];
    if (next === undefined) continue;
    if ((text[key] ?? '') !== next) changed.push(key);
    if (next === '') delete text[key];
    else text[key] = next;
  }
  let links = stored.introducedByLinks;
  if (update.introducedByLinks !== undefined) {
    const next = [...new Set(update.introducedByLinks)];
    if (JSON.stringify(next) !== JSON.stringify(links)) changed.push('introducedByLinks');
    links = next;
  }
  return { sections: { text, introducedByLinks: links }, changed };
}
