import { describe, expect, it } from 'vitest';
import { runCommand } from '../../test/support/cli.js';
import { NotFoundError, ValidationError } from '../../src/lib/errors.js';
import { CliError } from '../context.js';
import { runCweSearch, runCweShow } from './cwe.command.js';

describe('runCweSearch and runCweShow', () => {
  it('joins the words into one query and applies --limit', () => {
    expect(runCweSearch(['cross', 'sit'], {})[0]?.id).toBe('CWE-79');
    expect(runCweSearch(['injection'], {})).toHaveLength(20);
    expect(runCweSearch(['injection'], { limit: '3' })).toHaveLength(3);
  });

  it.each(['0', '51', '2.5', 'ten', '-1', ''])('refuses --limit %j with a usage error', (limit) => {
    expect(() => runCweSearch(['xss'], { limit })).toThrow(CliError);
    expect(() => runCweSearch(['xss'], { limit })).toThrow(/--limit must be a whole number from 1 to 50/);
  });

  it('refuses an overlong search, naming the field', () => {
    expect(() => runCweSearch(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], {})).toThrow(ValidationError);
  });

  it('shows an entry, and fails on unknown and malformed ids', () => {
    expect(runCweShow('cwe-89').id).toBe('CWE-89');
    expect(() => runCweShow('CWE-99999')).toThrow(NotFoundError);
    expect(() => runCweShow('sqli')).toThrow(ValidationError);
  });
});

describe('vigil cwe', () => {
  // The whole command line in this process (no database is opened); test/cli/binary.test.ts runs the built binary.
  it('prints one entry per line', async () => {
    const r = await runCommand(['cwe', 'search', 'sql', 'injection']);
    expect(r.stdout).toBe(
      "CWE-89    Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')\n" +
        'CWE-564   SQL Injection: Hibernate\n',
    );
    expect(r.code).toBe(0);
  });

  it('searches for a prototype key without crashing (the review found exit 1 with a TypeError)', async () => {
    const r = await runCommand(['cwe', 'search', 'constructor', '--json']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('prints JSON with --json', async () => {
    const search = await runCommand(['cwe', 'search', 'xss', '--limit', '1', '--json']);
    expect(JSON.parse(search.stdout)).toEqual([
      {
        id: 'CWE-79',
        name: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
        deprecated: false,
      },
    ]);
    const show = await runCommand(['cwe', 'show', '787', '--json']);
    expect(JSON.parse(show.stdout)).toEqual({
      id: 'CWE-787',
      name: 'Out-of-bounds Write',
      deprecated: false,
    });
  });

  it('says when nothing matches, and marks a deprecated entry', async () => {
    const none = await runCommand(['cwe', 'search', 'no', 'such', 'weakness']);
    expect(none.stdout).toBe('No CWE entry matches "no such weakness".\n');
    expect(none.code).toBe(0);
    const old = await runCommand(['cwe', 'show', 'CWE-592']);
    expect(old.stdout).toBe('CWE-592   DEPRECATED: Authentication Bypass Issues\n(deprecated by MITRE)\n');
  });

  it('exits non-zero with a clear message on an unknown id or a bad limit', async () => {
    const unknown = await runCommand(['cwe', 'show', 'CWE-99999']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toBe('vigil: CWE-99999 was not found.\n');
    const limit = await runCommand(['cwe', 'search', 'xss', '--limit', '99']);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toMatch(/^vigil: --limit must be a whole number from 1 to 50, got "99"\./);
  });
});
