/**
 * Where a webhook may point (server-side request forgery): https to a public address only. A URL
 * naming a private, loopback, link-local or otherwise reserved address, a single-label or
 * `localhost` name, or carrying credentials is refused when the webhook is created; at delivery the
 * name is resolved through `safeLookup`, which refuses the connection if any address it resolves to
 * is not public (a name that pointed elsewhere at creation, DNS rebinding). On an instance that
 * allows local webhooks (VIGIL_ALLOW_LOCAL_WEBHOOKS=true: tests, a receiver on the same host),
 * loopback is allowed too, over http or https; private networks never are.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export interface WebhookUrlOptions {
  /** Loopback addresses (127.0.0.0/8, ::1, localhost) are allowed, over http too. */
  allowLocal: boolean;
}

export const MAX_WEBHOOK_URL_CHARS = 2000;

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Every range that is not the public internet (IANA special-purpose registries). */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  // IPv4-compatible (::a.b.c.d, deprecated; with :: and ::1) and IPv4-translated (::ffff:0:a.b.c.d,
  // SIIT) addresses: other ways to name an IPv4 address that the IPv4 rules do not see.
  ['::', 96],
  ['::ffff:0:0:0', 96],
  // NAT64: a way to name an IPv4 address past an IPv4 check. (IPv4-mapped addresses, ::ffff:a.b.c.d,
  // need no rule: BlockList checks them against the IPv4 rules above.)
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

function family(address: string): 'ipv4' | 'ipv6' | undefined {
  const v = isIP(address);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : undefined;
}

/** Whether `address` (an IP literal) may be connected to; a non-IP is refused. */
export function isAllowedAddress(address: string, options: WebhookUrlOptions): boolean {
  const type = family(address);
  if (!type) return false;
  if (options.allowLocal && LOOPBACK.check(address, type)) return true;
  return !NOT_PUBLIC.check(address, type);
}

function isLocalName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/**
 * The problem with `raw` as a webhook URL, or null when it may be used: https (http only to
 * loopback where local webhooks are allowed), no credentials, a public IP or a dotted name.
 */
export function webhookUrlProblem(raw: string, options: WebhookUrlOptions): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute https URL';
  }
  if (raw.length > MAX_WEBHOOK_URL_CHARS) return `must have at most ${MAX_WEBHOOK_URL_CHARS} characters`;
  if (url.username || url.password) return 'must not carry a user name or password';
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '')
    .toLowerCase();
  const literal = family(host) !== undefined;
  const local = literal ? LOOPBACK.check(host, family(host) ?? 'ipv4') : isLocalName(host);
  if (url.protocol === 'http:') {
    if (!(options.allowLocal && local)) return 'must use https';
  } else if (url.protocol !== 'https:') {
    return 'must use https';
  }
  if (literal) {
    return isAllowedAddress(host, options) ? null : 'must not name a private, loopback or reserved address';
  }
  if (isLocalName(host)) return options.allowLocal ? null : 'must not name this host (localhost)';
  if (!host.includes('.')) return 'must name a fully qualified host (a name with a dot)';
  return null;
}

/** The origin of a webhook URL (what may be shown or audited: a Slack hook's path is its credential). */
export function webhookOrigin(raw: string): string {
  return new URL(raw).origin;
}

/** Raised by `safeLookup` when a name resolves to an address that may not be reached. */
export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKEDADDRESS';
  constructor(host: string) {
    super(`${host} resolves to an address that is not public: the delivery was refused`);
    this.name = 'BlockedAddressError';
  }
}

type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A `lookup` for http(s).request that resolves every address of the name and refuses the
 * connection when any of them may not be reached (so a name cannot point at the inside of the
 * network, even for one of its answers). `resolve` is dns.lookup unless a test gives another.
 */
export function safeLookup(options: WebhookUrlOptions, resolve: Resolver = dnsLookup): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    const done = callback as (
      err: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void;
    resolve(hostname, { ...lookupOptions, all: true }, (err, addresses) => {
      if (err) return done(err, []);
      if (addresses.length === 0 || addresses.some((a) => !isAllowedAddress(a.address, options))) {
        return done(new BlockedAddressError(hostname), []);
      }
      if ((lookupOptions as { all?: boolean }).all) return done(null, addresses);
      const first = addresses[0] as LookupAddress;
      done(null, first.address, first.family);
    });
  };
}
