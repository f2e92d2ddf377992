import { describe, expect, it } from 'vitest';
import {
  describeLeak,
  findForbiddenWord,
  findLeaks,
  forbiddenWords,
  isValidWatchword,
  normaliseWatchwords,
} from './commit-check.js';
import { parseRefUpdates, parseRefusals } from './git-hooks.js';
import { parseCgiHeaders } from './git-http-backend.js';
import { BRANCH_NAME, redactUrl } from './git-store.js';
import { seedBranches, seedErrorMessage } from './repository-seed.job.js';
import { GitError } from './git-process.js';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

describe('the words of a case', () => {
  it('are its ids, its CVE id and the team words, each once ignoring case, none empty', () => {
    expect(
      forbiddenWords({
        humanId: 'CTR-2026-0001',
        advisoryId: 'CTR-ADV-2026-0001',
        cveId: 'CVE-2026-12345',
        watchwords: ['xDS parser', ' ', 'ctr-2026-0001', 'XDS PARSER', 'ClusterLoadAssignment'],
      }),
    ).toEqual([
      'CTR-2026-0001',
      'CTR-ADV-2026-0001',
      'CVE-2026-12345',
      'xDS parser',
      'ClusterLoadAssignment',
    ]);
    expect(
      forbiddenWords({ humanId: 'VGL-2026-0002', advisoryId: null, cveId: null, watchwords: [] }),
    ).toEqual(['VGL-2026-0002']);
  });

  it('normalises the team list: trimmed, once each, in order', () => {
    expect(normaliseWatchwords([' heap ', 'Heap', 'xds'])).toEqual(['heap', 'xds']);
  });

  it('accepts one-line words of 2 to 100 characters only', () => {
    expect(isValidWatchword('xds')).toBe(true);
    expect(isValidWatchword('x')).toBe(false);
    expect(isValidWatchword('a'.repeat(101))).toBe(false);
    expect(isValidWatchword('two\nlines')).toBe(false);
    expect(isValidWatchword('tab\there')).toBe(false);
  });
});

describe('the commit check', () => {
  const words = ['CTR-2026-0001', 'CTR-ADV-2026-0001', 'xDS parser'];

  it('finds a word in any case, and nothing in a clean text', () => {
    expect(findForbiddenWord('Fix ctr-2026-0001 overflow', words)).toBe('CTR-2026-0001');
    expect(findForbiddenWord('harden the XDS PARSER bounds', words)).toBe('xDS parser');
    expect(findForbiddenWord('Tighten a bounds check', words)).toBeUndefined();
    expect(findForbiddenWord('xds-parser', words)).toBeUndefined();
  });

  it('names every leaking ref and commit, and the word', () => {
    const leaks = findLeaks(words, {
      refs: ['fix-ctr-adv-2026-0001', 'release-1.28'],
      commits: [
        { sha: SHA, message: 'Validate lengths\n\nReported as CTR-2026-0001.' },
        { sha: 'f'.repeat(40), message: 'Tighten a bounds check' },
      ],
    });
    // The advisory id contains no case id: the branch is refused for the advisory id itself.
    expect(leaks).toEqual([
      { kind: 'ref', ref: 'fix-ctr-adv-2026-0001', word: 'CTR-ADV-2026-0001' },
      { kind: 'commit', sha: SHA, word: 'CTR-2026-0001' },
    ]);
    expect(leaks.map(describeLeak)).toEqual([
      'fix-ctr-adv-2026-0001: the name contains "CTR-ADV-2026-0001"',
      'commit a1b2c3d4e5f6: its message names "CTR-2026-0001"',
    ]);
  });
});

describe('what the hooks and http-backend write', () => {
  it('parses the refusals and the updated refs', () => {
    expect(parseRefusals(`ref\trefs/heads/x\ncommit\trefs/heads/main\t${SHA}\nnonsense\n`)).toEqual([
      { kind: 'ref', ref: 'refs/heads/x' },
      { kind: 'commit', ref: 'refs/heads/main', sha: SHA },
    ]);
    const zero = '0'.repeat(40);
    expect(parseRefUpdates(`${zero} ${SHA} refs/heads/fix\ngarbage\n`)).toEqual([
      { old: zero, new: SHA, ref: 'refs/heads/fix' },
    ]);
  });

  it('parses CGI headers, taking Status as the status', () => {
    expect(parseCgiHeaders('Status: 403 Forbidden\r\nContent-Type: text/plain\r\nBad Header: x')).toEqual({
      status: 403,
      headers: { 'content-type': 'text/plain' },
    });
    expect(parseCgiHeaders('Content-Type: application/x-git-upload-pack-advertisement').status).toBe(200);
  });
});

describe('names and upstreams', () => {
  it('accepts branch names, never an option or a path trick', () => {
    for (const ok of ['main', 'release-1.28', 'fix/bounds', 'v1.2.3'])
      expect(BRANCH_NAME.test(ok), ok).toBe(true);
    for (const bad of ['-x', '../x', 'a..b', 'a//b', 'x.lock', 'x/', 'a b', '']) {
      expect(BRANCH_NAME.test(bad), bad).toBe(false);
    }
  });

  it('seeds the main branch and the branch of each supported line', () => {
    expect(
      seedBranches({
        releases: { mainBranch: 'main', branchPattern: 'release-{line}', supportedLines: ['1.28', '1.27'] },
      } as never),
    ).toEqual(['main', 'release-1.28', 'release-1.27']);
  });

  it('never shows the credentials of an upstream URL, nor where the repositories live', () => {
    expect(redactUrl('https://user:secret@example.org/x.git')).toBe('https://example.org/x.git');
    const err = new GitError(
      'x',
      'fatal: could not read from /srv/vigil/repositories/abc.git\nmore',
      128,
      false,
    );
    const message = seedErrorMessage('https://u:p@example.org/x.git', err, '/srv/vigil/repositories');
    expect(message).toBe(
      'The upstream repository https://example.org/x.git could not be read: fatal: could not read from <repositories>/abc.git more',
    );
    expect(message).not.toContain('p@');
  });
});
