/**
 * Vigil's own SECURITY.md is rendered from its own policy (vigil.policy.yaml) by the product's
 * renderer, like any project's: `vigil policy render vigil.policy.yaml > SECURITY.md`. This fails
 * when the two drift apart (edit the policy, then render again).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/lib/paths.js';
import { runCommand } from '../support/cli.js';

const root = repoRoot();

describe("Vigil's own security policy", () => {
  it('is a valid policy', async () => {
    const check = await runCommand(['policy', 'check', join(root, 'vigil.policy.yaml')]);
    expect(check).toEqual({ code: 0, stdout: 'Policy is valid\n', stderr: '' });
  });

  it('renders exactly the committed SECURITY.md', async () => {
    const rendered = await runCommand(['policy', 'render', join(root, 'vigil.policy.yaml')]);
    expect(rendered.code).toBe(0);
    expect(rendered.stderr).toBe('');
    const committed = readFileSync(join(root, 'SECURITY.md'), 'utf8');
    expect(
      committed,
      'SECURITY.md differs from its policy: run vigil policy render vigil.policy.yaml > SECURITY.md',
    ).toBe(rendered.stdout);
    expect(committed).toContain('# Vigil security policy');
  });
});
