import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_CASE_BYTES, formatBytes } from './files.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

describe('formatBytes', () => {
  it('keeps bytes whole below a KiB', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(1023)).toBe('1023 B');
  });

  it('uses binary units with one decimal, dropping a trailing .0', () => {
    expect(formatBytes(KiB)).toBe('1 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(14.2 * KiB)).toBe('14.2 KiB');
    expect(formatBytes(3.1 * MiB)).toBe('3.1 MiB');
    expect(formatBytes(DEFAULT_MAX_CASE_BYTES)).toBe('25 MiB');
    expect(formatBytes(2 * GiB)).toBe('2 GiB');
  });

  it('rounds from 100 of a unit up, and moves to the next unit at 1024', () => {
    expect(formatBytes(123.4 * KiB)).toBe('123 KiB');
    expect(formatBytes(1023.9 * KiB)).toBe('1024 KiB');
    expect(formatBytes(MiB - 1)).toBe('1024 KiB');
    expect(formatBytes(MiB)).toBe('1 MiB');
  });

  it('stops at GiB', () => {
    expect(formatBytes(3 * 1024 * GiB)).toBe('3072 GiB');
  });
});
