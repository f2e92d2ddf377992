/**
 * The part of a client's address that per-address limits count. An IPv4 address is itself (also
 * written IPv4-mapped, `::ffff:a.b.c.d`). An IPv6 address counts by its /64: a subscriber is given
 * at least a /64 and a host picks any of its 2^64 addresses at will, so a limit on single IPv6
 * addresses limits nothing.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The hextets of an IPv6 address, eight numbers (an embedded IPv4 tail becomes the last two). */
function hextets(address: string): number[] | undefined {
  let text = address.split('%')[0] ?? '';
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const part = (s: string) => (s === '' ? [] : s.split(':').map((h) => parseInt(h, 16)));
  const before = part(head);
  const after = tail === undefined ? [] : part(tail);
  const zeros = tail === undefined ? 0 : 8 - before.length - after.length;
  const all = [...before, ...Array<number>(Math.max(0, zeros)).fill(0), ...after];
  return all.length === 8 && all.every((h) => Number.isInteger(h) && h >= 0 && h <= 0xffff) ? all : undefined;
}

/** The address a per-address limit counts `ip` under: IPv4 as is, IPv6 as its /64 (`2001:db8:0:1::/64`). */
export function limitedAddress(ip: string): string {
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const h = hextets(ip);
  if (!h) return ip;
  if (h.slice(0, 5).every((x) => x === 0) && h[5] === 0xffff) {
    const [c = 0, d = 0] = h.slice(6);
    return `${c >> 8}.${c & 0xff}.${d >> 8}.${d & 0xff}`;
  }
  return `${h
    .slice(0, 4)
    .map((x) => x.toString(16))
    .join(':')}::/64`;
}

/** The rate-limit bucket of `prefix` for a client: `<prefix>:ip:<address as limits count it>`. */
export function addressBucket(prefix: string, ip: string): string {
  return `${prefix}:ip:${limitedAddress(ip)}`;
}
