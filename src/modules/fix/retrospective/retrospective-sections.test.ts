import { describe, expect, it } from 'vitest';
import { EMPTY_SECTIONS, mergeSections, parseStoredSections } from './retrospective-sections.js';

describe('the retrospective sections', () => {
  it('replaces the sections named, keeps the others, and names what changed', () => {
    const first = mergeSections(EMPTY_SECTIONS, {
      wentWell: 'Fast review.',
      introducedByLinks: ['https://x.test/1'],
    });
    expect(first.changed).toEqual(['wentWell', 'introducedByLinks']);
    const second = mergeSections(first.sections, { wentWell: 'Fast review.', luck: 'Found before release.' });
    expect(second.changed).toEqual(['luck']);
    expect(second.sections).toEqual({
      text: { wentWell: 'Fast review.', luck: 'Found before release.' },
      introducedByLinks: ['https://x.test/1'],
    });
    const emptied = mergeSections(second.sections, { wentWell: '', introducedByLinks: [] });
    expect(emptied.changed).toEqual(['wentWell', 'introducedByLinks']);
    expect(emptied.sections).toEqual({ text: { luck: 'Found before release.' }, introducedByLinks: [] });
  });

  it('reads back what it stored, and nothing malformed', () => {
    const { sections } = mergeSections(EMPTY_SECTIONS, { actionItems: 'Fuzz the parser.' });
    expect(parseStoredSections(JSON.stringify(sections))).toEqual(sections);
    expect(parseStoredSections('not json')).toEqual({ text: {}, introducedByLinks: [] });
    expect(
      parseStoredSections(
        JSON.stringify({ text: { wentWell: 3, other: 'x' }, introducedByLinks: [1, 'https://a.test'] }),
      ),
    ).toEqual({ text: {}, introducedByLinks: ['https://a.test'] });
  });
});
