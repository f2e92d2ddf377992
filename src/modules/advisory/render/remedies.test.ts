/**
 * Workarounds and mitigations (issue 13): two fields with distinct meanings (CSAF's `workaround`
 * and `mitigation` remediations), and every template and export treats them alike: a template
 * that tells readers what to do until the fix shows both, each under its own words, and requires
 * the same of them; a template naming a field that does not exist is refused.
 */
import { describe, expect, it } from 'vitest';
import { BASIC_DOCUMENT, buildAdvisory } from '../export/cve5-csaf.fixtures.js';
import { CONTEXT } from '../export/export.test-support.js';
import { toCsaf } from '../export/csaf.js';
import { toOsv } from '../export/osv.js';
import { checkTemplateSource, DEFAULT_TEMPLATES } from './render-advisory.js';
import { REMEDY_MEANINGS, requiredFieldsOf, TEMPLATE_NAMES, variablesOf } from './render-context.js';

const WORKAROUND = 'Disable the ext_authz filter on public listeners.';
const MITIGATION = 'Restrict the admin port to trusted source addresses.';

describe('workarounds and mitigations', () => {
  it('are required alike by every template: both or neither', () => {
    for (const name of TEMPLATE_NAMES) {
      const required = requiredFieldsOf(name);
      expect(required.includes('document.workarounds'), name).toBe(required.includes('document.mitigations'));
    }
  });

  it('are shown alike by every default template, each with its own heading', () => {
    for (const name of TEMPLATE_NAMES) {
      const source = DEFAULT_TEMPLATES[name];
      const shows = (field: string) => new RegExp(`\\{\\{\\{?${field}(Html)?\\}`).test(source);
      expect(shows('workarounds'), name).toBe(shows('mitigations'));
      if (shows('workarounds')) {
        expect(source, name).toMatch(/workarounds[^{}]{0,20}to avoid/i);
        expect(source, name).toMatch(/mitigations[^{}]{0,20}to reduce/i);
      }
    }
  });

  it('carry their own meanings in the template variables', () => {
    const described = Object.fromEntries(variablesOf('announcement').map((v) => [v.name, v.description]));
    expect(described.workarounds).toMatch(/avoid/i);
    expect(described.mitigations).toMatch(/reduce/i);
    // The editor's help (web/src/pages/advisory/DocumentSections.tsx) says the same.
    expect(REMEDY_MEANINGS.workarounds).toMatch(/avoid the vulnerable code/);
    expect(REMEDY_MEANINGS.mitigations).toMatch(/reduces the risk/);
  });

  it('refuses a template naming a field that does not exist', () => {
    for (const name of TEMPLATE_NAMES)
      expect(() => checkTemplateSource(name, DEFAULT_TEMPLATES[name])).not.toThrow();
    expect(() => checkTemplateSource('announcement', 'Subject: x\n\n{{mitigation}}\n')).toThrow(/mitigation/);
    expect(() => checkTemplateSource('fix-coming', 'Subject: x\n\n{{workaround}}\n')).toThrow(/workaround/);
  });

  it('reach every export, each as what it is', () => {
    const a = buildAdvisory({
      document: { ...BASIC_DOCUMENT, workarounds: WORKAROUND, mitigations: MITIGATION },
    });
    const osv = JSON.stringify(toOsv(a, CONTEXT));
    expect(osv).toContain(WORKAROUND);
    expect(osv).toContain(MITIGATION);
    const csaf = toCsaf(a, {
      publisher: { name: 'Contour security team', namespace: 'https://vigil.test', category: 'vendor' },
      vendor: 'Contour',
      generator: { name: 'Vigil', version: 'test' },
      generatedAt: '2026-12-01T00:00:00.000Z',
      revisions: Array.from({ length: a.revision }, (_, i) => ({
        revision: i + 1,
        createdAt: new Date(Date.UTC(2026, 11, 1 + i)).toISOString(),
      })),
    }) as { vulnerabilities: { remediations: { category: string; details: string }[] }[] };
    const remediations = csaf.vulnerabilities[0]?.remediations ?? [];
    expect(remediations).toContainEqual(
      expect.objectContaining({ category: 'workaround', details: WORKAROUND }),
    );
    expect(remediations).toContainEqual(
      expect.objectContaining({ category: 'mitigation', details: MITIGATION }),
    );
  });
});
