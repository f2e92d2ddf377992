import { describe, expect, it } from 'vitest';
import { createPasswordHasher, passwordHasher } from './password.js';

describe('passwordHasher (the real argon2id cost)', () => {
  it("hashes with argon2id at OWASP's cost, salted, and verifies", async () => {
    const stored = await passwordHasher.hash('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await passwordHasher.hash('correct horse battery staple')).not.toBe(stored);
    expect(await passwordHasher.verify(stored, 'correct horse battery staple')).toBe(true);
    expect(await passwordHasher.verify(stored, 'correct horse battery stapl')).toBe(false);
  });

  it('answers false without a stored hash or for a malformed one, never throwing', async () => {
    expect(await passwordHasher.verify(null, 'anything at all')).toBe(false);
    expect(await passwordHasher.verify('not-a-hash', 'anything at all')).toBe(false);
  });

  it('verifies a hash at the cost it records, whatever the hasher’s own cost', async () => {
    const cheap = createPasswordHasher({ memoryCost: 8, timeCost: 1, parallelism: 1 });
    const stored = await cheap.hash('a cheap password');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=8,t=1,p=1\$/);
    expect(await passwordHasher.verify(stored, 'a cheap password')).toBe(true);
  });
});
