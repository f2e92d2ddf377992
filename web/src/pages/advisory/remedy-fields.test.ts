import { describe, expect, it } from 'vitest';
import { REMEDY_FIELDS } from './DocumentSections.js';

describe('the editor’s workarounds and mitigations', () => {
  // The same meanings as the server's REMEDY_MEANINGS (render-context.ts, tested in remedies.test.ts).
  it('shows what each field means, and the two differ as the templates and exports have them', () => {
    const hint = (key: string) => REMEDY_FIELDS.find((f) => f.key === key)?.hint ?? '';
    expect(hint('workarounds')).toMatch(/avoid the vulnerable code/);
    expect(hint('mitigations')).toMatch(/reduces the risk/);
  });
});
