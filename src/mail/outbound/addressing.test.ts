import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bareAddress,
  caseCandidatesFromThread,
  caseHeaders,
  caseIdFromMessageId,
  caseReplyAddress,
  findCaseReplyAddress,
  messageIdsIn,
  parseCaseReplyAddress,
  vigilMessageId,
} from './addressing.js';

const SECRET = Buffer.from('0123456789abcdef0123456789abcdef', 'utf8');
const DOMAIN = 'vigil.example.org';
const CASE = '3f2b8c1e-7a4d-4e6b-9c0f-1a2b3c4d5e6f';

describe('case reply addresses', () => {
  it('has the documented form and round-trips', () => {
    const address = caseReplyAddress(CASE, SECRET, DOMAIN);
    expect(address).toMatch(/^case\+3f2b8c1e7a4d4e6b9c0f1a2b3c4d5e6f\.[0-9a-f]{16}@vigil\.example\.org$/);
    expect(parseCaseReplyAddress(address, SECRET, DOMAIN)).toBe(CASE);
  });

  it('is stable for a case and differs between cases and secrets', () => {
    expect(caseReplyAddress(CASE, SECRET, DOMAIN)).toBe(caseReplyAddress(CASE.toUpperCase(), SECRET, DOMAIN));
    expect(caseReplyAddress(randomUUID(), SECRET, DOMAIN)).not.toBe(caseReplyAddress(CASE, SECRET, DOMAIN));
    const other = Buffer.from('another secret of at least 16 bytes');
    expect(caseReplyAddress(CASE, other, DOMAIN)).not.toBe(caseReplyAddress(CASE, SECRET, DOMAIN));
  });

  it('tolerates display names, angle brackets, upper case and a trailing dot', () => {
    const address = caseReplyAddress(CASE, SECRET, DOMAIN);
    for (const form of [
      `<${address}>`,
      `"Contour security (VGL-2026-0001)" <${address}>`,
      `Reply <${address.toUpperCase()}>`,
      `  ${address}  `,
      address.replace(DOMAIN, 'Vigil.Example.Org.'),
    ]) {
      expect(parseCaseReplyAddress(form, SECRET, DOMAIN), form).toBe(CASE);
    }
    expect(parseCaseReplyAddress(address, SECRET, 'VIGIL.example.org')).toBe(CASE);
  });

  it('rejects forged, altered, foreign and malformed addresses', () => {
    const address = caseReplyAddress(CASE, SECRET, DOMAIN);
    const [local = '', domain] = address.split('@');
    const tag = local.slice(-16);
    const flipped = tag.slice(0, -1) + (tag.endsWith('0') ? '1' : '0');
    const otherCase = randomUUID();
    const bad = [
      `${local.slice(0, -16)}${flipped}@${domain}`,
      `${local.slice(0, -16)}${'0'.repeat(16)}@${domain}`,
      // Another case's id with this case's tag.
      `case+${otherCase.replaceAll('-', '')}.${tag}@${domain}`,
      `${local}@evil.example.org`,
      `${local}@${domain}.evil.example`,
      `${local.slice(0, -1)}@${domain}`,
      `${local}0@${domain}`,
      `case-${local.slice(5)}@${domain}`,
      `x${local}@${domain}`,
      'security@vigil.example.org',
      'not an address',
      '',
      `<${address}> <other@example.org>`,
    ];
    for (const candidate of bad)
      expect(parseCaseReplyAddress(candidate, SECRET, DOMAIN), candidate).toBeUndefined();
    expect(
      parseCaseReplyAddress(address, Buffer.from('a different secret, long enough'), DOMAIN),
    ).toBeUndefined();
  });

  it('never accepts a random tag (property)', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.stringMatching(/^[0-9a-f]{16}$/), (id, tag) => {
        const real = caseReplyAddress(id, SECRET, DOMAIN);
        const forged = `case+${id.replaceAll('-', '')}.${tag}@${DOMAIN}`;
        expect(parseCaseReplyAddress(forged, SECRET, DOMAIN)).toBe(
          forged === real ? id.toLowerCase() : undefined,
        );
        expect(parseCaseReplyAddress(real, SECRET, DOMAIN)).toBe(id.toLowerCase());
      }),
    );
  });

  it('finds the case among several recipients', () => {
    const address = caseReplyAddress(CASE, SECRET, DOMAIN);
    expect(findCaseReplyAddress(['security@contour.io', `Team <${address}>`], SECRET, DOMAIN)).toBe(CASE);
    expect(findCaseReplyAddress(['security@contour.io'], SECRET, DOMAIN)).toBeUndefined();
  });

  it('refuses a non-UUID case id, a short secret and a bad domain', () => {
    expect(() => caseReplyAddress('VGL-2026-0001', SECRET, DOMAIN)).toThrow(/UUID/);
    expect(() => caseReplyAddress(CASE, Buffer.alloc(8), DOMAIN)).toThrow(/at least 16 bytes/);
    expect(() => caseReplyAddress(CASE, SECRET, 'bad domain\r\nBcc: x')).toThrow(/host name/);
  });
});

describe('bareAddress', () => {
  it('takes the address out of common forms', () => {
    expect(bareAddress('A <B@Example.org>')).toBe('b@example.org');
    expect(bareAddress('b@example.org')).toBe('b@example.org');
    expect(bareAddress('no address here')).toBeUndefined();
    expect(bareAddress('a@b@c')).toBeUndefined();
  });
});

describe('Message-IDs', () => {
  it('have our form and name the case', () => {
    const id = vigilMessageId(CASE, 'report-received.team', DOMAIN);
    expect(id).toMatch(
      /^<vigil\.3f2b8c1e7a4d4e6b9c0f1a2b3c4d5e6f\.report-received-team-[0-9a-f]{24}@vigil\.example\.org>$/,
    );
    expect(caseIdFromMessageId(id)).toBe(CASE);
    expect(caseIdFromMessageId(id.slice(1, -1))).toBe(CASE);
    expect(caseIdFromMessageId(` ${id.toUpperCase()} `)).toBe(CASE);
    expect(caseIdFromMessageId(id, DOMAIN)).toBe(CASE);
  });

  it('are random by default and derived from a seed when given', () => {
    expect(vigilMessageId(CASE, 'message.reporter', DOMAIN)).not.toBe(
      vigilMessageId(CASE, 'message.reporter', DOMAIN),
    );
    const a = vigilMessageId(CASE, 'message.reporter', DOMAIN, 'job-1');
    expect(vigilMessageId(CASE, 'message.reporter', DOMAIN, 'job-1')).toBe(a);
    expect(vigilMessageId(CASE, 'message.reporter', DOMAIN, 'job-2')).not.toBe(a);
    expect(vigilMessageId(CASE, 'message.team', DOMAIN, 'job-1')).not.toBe(a);
  });

  it('recover nothing from ids that are not ours', () => {
    for (const id of [
      '<CAH+abc123@mail.gmail.com>',
      '<vigil.nothex@vigil.example.org>',
      '<vigil.3f2b8c1e7a4d4e6b9c0f1a2b3c4d5e6@vigil.example.org>',
      '<vigil.3f2b8c1e7a4d4e6b9c0f1a2b3c4d5e6f.x-1@>',
      '',
    ]) {
      expect(caseIdFromMessageId(id), id).toBeUndefined();
    }
    const id = vigilMessageId(CASE, 'message.team', DOMAIN);
    expect(caseIdFromMessageId(id, 'other.example.org')).toBeUndefined();
  });

  it('are listed from In-Reply-To and References, most recent first, each once', () => {
    const first = vigilMessageId(CASE, 'report-received.reporter', DOMAIN);
    const other = randomUUID();
    const second = vigilMessageId(other, 'message.reporter', DOMAIN);
    const references = `${first}\r\n <foreign@mail.example.net> ${second}`;
    expect(messageIdsIn(references)).toEqual([first, '<foreign@mail.example.net>', second]);
    expect(caseCandidatesFromThread({ inReplyTo: second, references })).toEqual([
      { caseId: other, messageId: second },
      { caseId: CASE, messageId: first },
    ]);
    expect(caseCandidatesFromThread({ references: [first] }, 'elsewhere.example')).toEqual([]);
    expect(caseCandidatesFromThread({})).toEqual([]);
  });
});

describe('X-Vigil-Case', () => {
  it('carries the human id only, stripped of anything else', () => {
    expect(caseHeaders('VGL-2026-0001')).toEqual({ 'X-Vigil-Case': 'VGL-2026-0001' });
    expect(caseHeaders('VGL-1\r\nBcc: x@example.org')).toEqual({ 'X-Vigil-Case': 'VGL-1Bccxexampleorg' });
  });
});
