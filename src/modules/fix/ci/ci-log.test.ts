import { describe, expect, it } from 'vitest';
import { createTailBuffer, keepLogTail } from './ci-log.js';

describe('bounded run logs', () => {
  it('keeps a short log whole and the newest bytes of a long one, marked', () => {
    expect(keepLogTail('all of it', 100)).toBe('all of it');
    const kept = keepLogTail(`${'a'.repeat(50)}${'b'.repeat(10)}`, 10);
    expect(kept).toBe('[... earlier output dropped ...]\nbbbbbbbbbb');
  });

  it('never cuts a character in half', () => {
    // 'é' is two bytes: keeping 5 bytes of 'éééé' would start inside one.
    expect(keepLogTail('éééé', 5)).toBe('[... earlier output dropped ...]\néé');
  });

  it('collects chunks, keeping only the newest bytes in memory', () => {
    const tail = createTailBuffer(8);
    tail.push('1234');
    expect(tail.text()).toBe('1234');
    tail.push(Buffer.from('56789'));
    tail.push('abc');
    expect(tail.text()).toBe('[... earlier output dropped ...]\n56789abc');
    tail.push('0123456789XY');
    expect(tail.text()).toBe('[... earlier output dropped ...]\n456789XY');
  });
});
