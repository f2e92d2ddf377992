import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getPresetPolicy } from '../../policy/policy.presets.js';
import { embargoTerms, termsHash } from './embargo-terms.js';

describe('the embargo terms of an invitation', () => {
  it("are the policy's embargo policy when it has one, versioned by the SHA-256 of the exact text", () => {
    const policy = getPresetPolicy('contour');
    const terms = embargoTerms({ name: 'Contour', policy });
    expect(terms.text).toBe(policy.disclosure.distributorsList.embargoPolicy);
    expect(terms.hash).toBe(createHash('sha256').update(terms.text).digest('hex'));
  });

  it("are Vigil's text from PROCESS.md §7 otherwise, in the project's names", () => {
    const policy = getPresetPolicy('emissary');
    expect(policy.disclosure.distributorsList.embargoPolicy).toBeNull();
    const terms = embargoTerms({ name: 'Emissary', policy });
    expect(terms.text).toContain('security issue of Emissary that is not public yet');
    expect(terms.text).toContain('not in public repositories, issues');
    expect(terms.text).toContain(`tell the ${policy.contacts.securityTeam.name}`);
    expect(terms.text).toContain('exactly what leaked and to whom');
    expect(terms.text).toContain('ends when the advisory is published');
    expect(terms.hash).toBe(termsHash(terms.text));
  });

  it('change version with any change of the text', () => {
    const policy = getPresetPolicy('emissary');
    expect(embargoTerms({ name: 'Emissary', policy }).hash).not.toBe(
      embargoTerms({ name: 'Emissary ', policy }).hash,
    );
  });
});
