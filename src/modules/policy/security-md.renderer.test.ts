import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { deriveResponseSteps } from './response-steps.js';
import { getPresetPolicy, getPresetYaml } from './policy.presets.js';
import { parsePolicy } from './policy.parser.js';
import { renderSecurityMd } from './security-md.renderer.js';

/** Replaces exactly one occurrence, so a test cannot silently edit nothing. */
function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`"${from}" must occur exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

function numberedItems(markdown: string, heading: string): string[] {
  const section = markdown.split(`${heading}\n\n`)[1]?.split('\n\n')[1] ?? '';
  return section.split('\n').filter((l) => /^\d+\. /.test(l));
}

const html = new MarkdownIt({ html: false });

describe.each(['contour', 'sesame'])('%s SECURITY.md', (name) => {
  const policy = getPresetPolicy(name);
  const project = policy.project.name;
  const md = renderSecurityMd(policy);

  it('says how to report, what to include, and where non-security bugs go', () => {
    expect(md).toContain(`contact the ${project} Security Team at [cncf-`);
    expect(md).toContain('**IMPORTANT: Do not file public issues for security vulnerabilities.**');
    expect(md).toContain(
      'Reports will be addressed within 3 business days, including a detailed plan to investigate the issue and any potential workarounds to perform in the meantime.',
    );
    expect(md).toContain('- A descriptive subject line.');
    expect(md).toContain(
      `- List other projects or dependencies that were used in conjunction with ${project} to produce the vulnerability.`,
    );
    expect(md).toContain(
      'Do not report non-security-impacting bugs through this channel. Use the [public issue tracker](https://github.com/',
    );
  });

  it('says when to report: suspicions and dependencies', () => {
    expect(md).toContain(
      `- When you suspect a potential vulnerability but you are unsure that it impacts ${project}.`,
    );
    expect(md).toContain(
      `project that is used by ${project}. For example: ${project} has a dependency on Envoy.`,
    );
  });

  it('lists the nine numbered response steps', () => {
    const steps = numberedItems(md, '## Patch, release, and disclosure');
    expect(steps).toHaveLength(9);
    expect(steps[0]).toBe(
      `1. The ${project} Security Team will investigate the vulnerability and determine its effects and criticality.`,
    );
    expect(steps[2]).toBe(
      `3. The ${project} Security Team will initiate a conversation with the reporter within 3 business days.`,
    );
    expect(steps[6]).toContain('will provide early disclosure of the vulnerability by emailing the');
    expect(steps[7]).toContain(
      `A public disclosure date is negotiated by the ${project} Security Team, the bug submitter, and the distributors list.`,
    );
    expect(steps[7]).toContain('to be on the order of 14 business days.');
    expect(steps[7]).toContain(
      `The ${project} Security Team holds the final say when setting a public disclosure date.`,
    );
    expect(steps[8]).toContain('backport a patch release into all earlier supported releases');
    expect(deriveResponseSteps(policy)).toHaveLength(9);
  });

  it('has the distributors list with its seven criteria and the embargo policy', () => {
    expect(md).toContain(`## Early disclosure to the ${project} Distributors mailing list`);
    const criteria = numberedItems(md, '### Membership criteria');
    expect(criteria).toHaveLength(7);
    expect(criteria[0]).toBe(`1. Be an active distributor of ${project}.`);
    expect(criteria[6]).toMatch(/^7\. Have someone who is already on the list vouch/);
    expect(md).toContain('### Embargo Policy');
    expect(md).toContain('you will be permanently removed from the list.');
    expect(md).toContain(
      `${project} distributors will handle creating and publishing their own security advisories.`,
    );
    expect(md).toContain('The CVE ID is left out of the early disclosure notice.');
  });

  it('states the priorities and that it is not secure by default', () => {
    expect(md).toContain(
      'We consider vulnerabilities leading to the compromise of data confidentiality, elevation of privilege, or integrity to be our highest priority concerns.',
    );
    expect(md).toContain(
      `we do not currently consider the default settings for ${project} to be secure-by-default`,
    );
    expect(md).toContain('- It relates to a lack of safe defaults');
  });

  it('points at the support matrix and the advisories', () => {
    expect(md).toContain(
      `[document on the release process and support matrix](https://github.com/projectsesame`.replace(
        'projectsesame',
        name === 'contour' ? 'projectcontour' : 'projectsesame',
      ),
    );
    expect(md).toContain('publishes a public [advisory](https://github.com/');
  });
});

describe('emissary SECURITY.md', () => {
  const md = renderSecurityMd(getPresetPolicy('emissary'));

  it('states the Fix Lead rotation and every phase window', () => {
    expect(md).toContain(
      'The role of Fix Lead rotates round-robin across the Emissary Security Team (EMST).',
    );
    expect(md).toContain(
      'Within the first 24 hours of the report, the Fix Lead will identify the relevant engineers',
    );
    expect(md).toContain('This is completed within 1-7 days of the report.');
    expect(md).toMatch(
      /Within 1-7 days of the report, the Fix Lead will inform users in \[\\#emissary on the Emissary Slack\]\(https:\/\/a8r\.io\/slack\)/,
    );
    expect(md).toContain('within 1-21 days of the report');
    expect(md).toContain(
      'Within 1-3 days after the release, the Fix Lead will run a blameless retrospective',
    );
    expect(md).toContain('All of these timelines are suggestions and assume a private disclosure');
  });

  it('states the low-severity slow-down, the DoS rule and public disclosure at CVSS >= 4', () => {
    expect(md).toContain(
      'If the CVSS score is under 4.0 (a low severity score), the Fix Team can decide to slow the release process down',
    );
    expect(md).toContain(
      'A "query of death", where a single client query can crash Emissary-ingress entirely.',
    );
    expect(md).toContain('- Highly asymmetric resource exhaustion attacks');
    expect(md).toContain(
      'fix well-known resource consumption issues (e.g. high CPU or memory usage) in the open',
    );
    expect(md).toContain(
      'all timelines become ASAP (as soon as possible), assuming the vulnerability has a CVSS score >= 4.0.',
    );
    expect(md).toContain(
      'will ask the person making the public report if the issue can be handled via a private disclosure process',
    );
  });

  it('has no distributors list and no first-response promise', () => {
    expect(md).not.toContain('Distributors mailing list');
    expect(md).not.toContain('Membership criteria');
    expect(md).not.toContain('business days');
    expect(md).toContain('[secalert@datawire.io](mailto:secalert@datawire.io)');
  });
});

describe('k8spolicy SECURITY.md', () => {
  const md = renderSecurityMd(getPresetPolicy('k8spolicy'));

  it('states the maintainer, the windows, the approximate slow-down and the template', () => {
    expect(md).toContain('The k8spolicy maintainer (Christian Kotzbauer) will investigate the vulnerability');
    expect(md).toContain('This is completed within 1-14 days of the report.');
    expect(md).toContain('within 1-21 days of the report');
    expect(md).toContain(
      'If the CVSS score is under ~4.0 (a low severity score) or the assessed risk is low',
    );
    expect(md).toContain(
      'These decisions must be discussed in the security advisory, never in public repos.',
    );
    expect(md).toContain(
      'The announcement follows this template:\n\n```text\nThis addresses the following CVE(s):',
    );
    expect(md).not.toContain('Retrospective');
    expect(md).not.toContain('Fix Lead');
  });

  it('keeps the template literal: its HTML comments stay inside the code block', () => {
    const rendered = html.render(md);
    expect(rendered).not.toContain('<!--');
    expect(rendered).toContain('&lt;!-- Provide details on features');
  });
});

describe('renderSecurityMd', () => {
  it('follows a changed value in the YAML', () => {
    const yaml = getPresetYaml('contour');
    const changed = parsePolicy(edit(yaml, '    businessDays: 3\n', '    businessDays: 5\n'));
    const md = renderSecurityMd(changed);
    expect(md).toContain('within 5 business days');
    expect(md).not.toContain('within 3 business days');

    const longer = parsePolicy(edit(yaml, '    businessDays: 14\n', '    businessDays: 10\n'));
    expect(renderSecurityMd(longer)).toContain('on the order of 10 business days');

    const emissary = getPresetYaml('emissary');
    const slower = parsePolicy(
      edit(emissary, '    minDays: 1\n    maxDays: 21', '    minDays: 2\n    maxDays: 28'),
    );
    expect(renderSecurityMd(slower)).toContain('within 2-28 days of the report');
  });

  it('says fixes are tested in private only when the policy names a test command', () => {
    const yaml = getPresetYaml('emissary');
    const line = 'every change pushed to it is tested before release';
    expect(renderSecurityMd(parsePolicy(yaml))).not.toContain(line);
    const tested = parsePolicy(edit(yaml, '  testCommand: null\n', '  testCommand: make test\n'));
    expect(renderSecurityMd(tested)).toContain(`Fixes are developed in a private repository, and ${line}.`);
  });

  it('drops the distributors section when the list is disabled', () => {
    const yaml = getPresetYaml('emissary');
    expect(renderSecurityMd(parsePolicy(yaml))).not.toContain('## Early disclosure');
  });

  it('uses the context: project name, report form and security.txt', () => {
    const md = renderSecurityMd(getPresetPolicy('contour'), {
      projectName: 'Contour (fork)',
      reportUrl: 'https://vigil.example/p/contour/report',
      securityTxtUrl: 'https://vigil.example/.well-known/security.txt',
    });
    expect(md).toMatch(/^# Contour \(fork\) security policy\n/);
    expect(md).toContain('through the [private report form](https://vigil.example/p/contour/report)');
    expect(md).toContain('[security.txt](https://vigil.example/.well-known/security.txt)');
    expect(md).toContain('Upon release of the patched version of Contour (fork),');
  });

  it('states the time zone and holiday region of business days', () => {
    const yaml = edit(
      edit(getPresetYaml('contour'), 'timeZone: UTC', 'timeZone: Europe/Berlin'),
      'holidays: null',
      'holidays: DE-BY',
    );
    expect(renderSecurityMd(parsePolicy(yaml))).toContain(
      'Business days are Monday to Friday in the Europe/Berlin time zone, excluding the public holidays of DE-BY.',
    );
  });

  it('escapes names and addresses so they cannot inject markup', () => {
    let yaml = getPresetYaml('contour');
    yaml = edit(
      yaml,
      '  name: Contour\n',
      '  name: "Evil](https://evil.example) <img src=x onerror=alert(1)> *x*"\n',
    );
    yaml = edit(yaml, '    name: Contour Security Team\n', '    name: "[Team](javascript:alert(1))"\n');
    const md = renderSecurityMd(parsePolicy(yaml));
    const rendered = html.render(md);
    expect(rendered).not.toContain('<img');
    expect(rendered).not.toContain('href="https://evil.example"');
    expect(rendered).not.toMatch(/href="javascript/i);
    expect(rendered).toContain('The [Team](javascript:alert(1)) will investigate');
    expect(rendered).not.toContain('<em>x</em>');
    expect(md).toContain('Evil\\](https://evil.example) \\<img src=x onerror=alert(1)\\> \\*x\\*');
  });

  it('neutralises raw HTML and script links in prose fields', () => {
    const yaml = edit(
      getPresetYaml('contour'),
      '    Note that we do not currently consider',
      '    <script>alert(1)</script> [click](javascript:alert(1)) Note that we do not currently consider',
    );
    const rendered = html.render(renderSecurityMd(parsePolicy(yaml)));
    expect(rendered).not.toContain('<script>');
    expect(rendered).not.toMatch(/href="javascript/i);
    expect(rendered).toContain('&lt;script&gt;');
  });

  it('renders every preset as Markdown with one top heading and no raw HTML', () => {
    for (const name of ['contour', 'sesame', 'emissary', 'k8spolicy']) {
      const md = renderSecurityMd(getPresetPolicy(name));
      expect(md.match(/^# /gm)).toHaveLength(1);
      expect(md.endsWith('\n')).toBe(true);
      expect(html.render(md)).not.toMatch(/<(script|img|iframe)/);
    }
  });
});
