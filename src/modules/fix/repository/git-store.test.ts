import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGitStore } from './git-store.js';
import { PRE_RECEIVE_HOOK } from './git-hooks.js';

describe('the fix repositories on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-git-store-'));
  const store = createGitStore(dir);
  const caseId = '0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000';
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('installs the hooks once: an unchanged hook is not touched again, a changed one is rewritten', async () => {
    await store.init(caseId);
    const hook = join(store.pathOf(caseId), 'hooks', 'pre-receive');
    const before = statSync(hook);
    expect(before.mode & 0o777).toBe(0o755);
    await new Promise((r) => setTimeout(r, 20));
    await store.installHooks(caseId);
    // Neither written (mtime) nor chmod-ed (ctime).
    expect(statSync(hook).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(hook).ctimeMs).toBe(before.ctimeMs);

    writeFileSync(hook, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    await store.installHooks(caseId);
    expect(statSync(hook).mode & 0o777).toBe(0o755);
    expect(statSync(hook).mtimeMs).toBeGreaterThan(before.mtimeMs);
    expect(readFileSync(hook, 'utf8')).toBe(PRE_RECEIVE_HOOK);
  });
});
