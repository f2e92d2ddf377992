import { describe, expect, it } from 'vitest';
import { emailSchema } from './accounts.schemas.js';

describe('emailSchema', () => {
  it.each(['admin@localhost', 'Alice@Example.org', 'a.b+tag@sub.example.co.uk', 'x_y@host-1'])(
    'accepts %s',
    (email) => {
      expect(emailSchema.safeParse(email).success).toBe(true);
    },
  );

  it('normalises case and surrounding space', () => {
    expect(emailSchema.parse('  Alice@Example.ORG ')).toBe('alice@example.org');
  });

  it.each([
    'not-an-email',
    'a@b@c',
    'a b@c.org',
    '@example.org',
    'x@',
    'x@-bad.org',
    'x@bad-.org',
    'x@a..b',
    '<x>@a.org',
    `${'a'.repeat(65)}@a.org`,
  ])('refuses %s', (email) => {
    expect(emailSchema.safeParse(email).success).toBe(false);
  });
});
