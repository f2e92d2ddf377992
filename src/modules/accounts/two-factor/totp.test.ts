import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, otpauthUri, totpStep, verifyTotp } from './totp.js';

// RFC 6238 Appendix B: the SHA-1 seed, 8-digit codes at these times.
const RFC_SEED = Buffer.from('12345678901234567890', 'ascii');
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP', () => {
  it.each(RFC_VECTORS)('matches RFC 6238 at T=%i', (seconds, expected) => {
    expect(hotp(RFC_SEED, totpStep(seconds * 1000), 8)).toBe(expected);
  });

  it('matches RFC 4226 HOTP vectors (6 digits)', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676'];
    expected.forEach((code, counter) => expect(hotp(RFC_SEED, counter)).toBe(code));
  });

  it('accepts one step of drift either side, not two, and a code only once', () => {
    const t = 1_111_111_111_000;
    const step = totpStep(t);
    const code = (s: number) => hotp(RFC_SEED, s);
    expect(verifyTotp(RFC_SEED, code(step), t, null)).toBe(step);
    expect(verifyTotp(RFC_SEED, code(step - 1), t, null)).toBe(step - 1);
    expect(verifyTotp(RFC_SEED, code(step + 1), t, null)).toBe(step + 1);
    expect(verifyTotp(RFC_SEED, code(step - 2), t, null)).toBeNull();
    expect(verifyTotp(RFC_SEED, code(step + 2), t, null)).toBeNull();
    // Used: the same step, and any older one, is refused.
    expect(verifyTotp(RFC_SEED, code(step), t, step)).toBeNull();
    expect(verifyTotp(RFC_SEED, code(step - 1), t, step)).toBeNull();
    expect(verifyTotp(RFC_SEED, code(step + 1), t, step)).toBe(step + 1);
  });

  it('refuses what is not six digits', () => {
    for (const bad of ['', '12345', '1234567', 'abcdef', ' 12345', '１２３４５６'])
      expect(verifyTotp(RFC_SEED, bad, 0, null)).toBeNull();
  });

  it('round-trips base32 (RFC 4648 vectors) and builds an otpauth URI', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Encode(Buffer.from('f'))).toBe('MY');
    expect(base32Decode('mzxw6ytboi======').toString()).toBe('foobar');
    expect(() => base32Decode('MZ1')).toThrow();
    expect(base32Encode(RFC_SEED)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    const uri = new URL(otpauthUri('Vigil', 'a@example.org', RFC_SEED));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Vigil:a@example.org');
    expect(uri.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(uri.searchParams.get('issuer')).toBe('Vigil');
  });
});
