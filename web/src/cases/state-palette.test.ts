import { describe, expect, it } from 'vitest';
// The transition table is the one list of states: a state added there without a palette entry fails here.
import { CASE_STATES } from '../../../src/modules/cases/case-transitions.js';
import { STATE_TONES, stateClass } from './state-palette.js';

// The stylesheet as written (Vite's CSS handling would empty a `?raw` import under the test runner);
// the web's types have no Node, hence the typed dynamic import.
const NODE_FS = 'node:fs';
const fs = (await import(/* @vite-ignore */ NODE_FS)) as {
  readFileSync(path: URL, encoding: 'utf8'): string;
};
const css = fs
  .readFileSync(new URL('../styles.css', import.meta.url), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '');

/** The declarations of a CSS rule whose selector list names `selector`. */
function ruleOf(selector: string): string {
  const rules = [...css.matchAll(/([^{}]+)\{([^}]*)\}/g)];
  const hit = rules.find((m) => (m[1] ?? '').split(',').some((part: string) => part.trim() === selector));
  return hit?.[2] ?? '';
}

describe('the case state palette', () => {
  it('gives every state of the transition table a tone with its own rule in the stylesheet', () => {
    for (const state of CASE_STATES) {
      const tone = STATE_TONES[state];
      expect(tone, state).toBeDefined();
      expect(stateClass(state)).toContain(`state-${tone}`);
      expect(ruleOf(`.state-${tone}`), `.state-${tone}`).toMatch(/color:/);
    }
  });

  it('paints no state in the danger colour: red is for what needs attention (an overdue clock)', () => {
    for (const state of CASE_STATES) expect(ruleOf(`.state-${STATE_TONES[state]}`)).not.toMatch(/--danger/);
    expect(ruleOf('.state-accepted')).not.toMatch(/--danger/);
    expect(STATE_TONES.accepted).toBe('progress');
  });

  it('says what each state means: closed without a fix is muted, published is done', () => {
    expect(STATE_TONES.rejected).toBe('muted');
    expect(STATE_TONES.duplicate).toBe('muted');
    expect(STATE_TONES['not-security']).toBe('muted');
    expect(STATE_TONES.published).toBe('done');
    expect(STATE_TONES['needs-info']).toBe('waiting');
    expect(STATE_TONES.received).toBe('new');
  });
});
