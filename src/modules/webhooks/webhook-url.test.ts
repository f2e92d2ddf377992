import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook, webhookBody, newWebhookSecret } from './webhook-message.js';
import { BlockedAddressError, isAllowedAddress, safeLookup, webhookUrlProblem } from './webhook-url.js';

const strict = { allowLocal: false };
const local = { allowLocal: true };

describe('webhook URLs (server-side request forgery)', () => {
  it('accepts https to a public host', () => {
    expect(webhookUrlProblem('https://hooks.slack.com/services/T0/B0/xyz', strict)).toBeNull();
    expect(webhookUrlProblem('https://93.184.215.14:8443/hook', strict)).toBeNull();
    expect(webhookUrlProblem('https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook', strict)).toBeNull();
  });

  it.each([
    ['http://hooks.example.org/x', 'must use https'],
    ['ftp://hooks.example.org/x', 'must use https'],
    ['file:///etc/passwd', 'must use https'],
    ['not a url', 'must be an absolute https URL'],
    ['https://user:pass@hooks.example.org/x', 'must not carry a user name or password'],
    ['https://localhost/x', 'must not name this host (localhost)'],
    ['https://api.localhost/x', 'must not name this host (localhost)'],
    ['https://localhost./x', 'must not name this host (localhost)'],
    ['https://intranet/x', 'must name a fully qualified host (a name with a dot)'],
    ['https://127.0.0.1/x', 'must not name a private, loopback or reserved address'],
    ['https://10.1.2.3/x', 'must not name a private, loopback or reserved address'],
    ['https://172.20.0.1/x', 'must not name a private, loopback or reserved address'],
    ['https://192.168.1.1/x', 'must not name a private, loopback or reserved address'],
    ['https://169.254.169.254/latest/meta-data', 'must not name a private, loopback or reserved address'],
    ['https://100.64.0.1/x', 'must not name a private, loopback or reserved address'],
    ['https://0.0.0.0/x', 'must not name a private, loopback or reserved address'],
    ['https://[::1]/x', 'must not name a private, loopback or reserved address'],
    ['https://[fd00::1]/x', 'must not name a private, loopback or reserved address'],
    ['https://[fe80::1]/x', 'must not name a private, loopback or reserved address'],
    ['https://[::ffff:127.0.0.1]/x', 'must not name a private, loopback or reserved address'],
    ['https://[::ffff:10.0.0.1]/x', 'must not name a private, loopback or reserved address'],
    ['https://[64:ff9b::a00:1]/x', 'must not name a private, loopback or reserved address'],
    // Other spellings of 127.0.0.1 that URL parsing normalises.
    ['https://2130706433/x', 'must not name a private, loopback or reserved address'],
    ['https://0x7f.1/x', 'must not name a private, loopback or reserved address'],
    ['https://0177.0.0.1/x', 'must not name a private, loopback or reserved address'],
    // IPv4-compatible (::/96, deprecated) and IPv4-translated (::ffff:0:0:0/96, SIIT) forms.
    ['https://[::127.0.0.1]/x', 'must not name a private, loopback or reserved address'],
    ['https://[::a9fe:a9fe]/x', 'must not name a private, loopback or reserved address'],
    ['https://[::ffff:0:7f00:1]/x', 'must not name a private, loopback or reserved address'],
    ['https://[::ffff:0:a00:1]/x', 'must not name a private, loopback or reserved address'],
    // More than one trailing dot is still this host.
    ['https://localhost../x', 'must not name this host (localhost)'],
    ['https://api.localhost../x', 'must not name this host (localhost)'],
  ])('refuses %s', (url, problem) => {
    expect(webhookUrlProblem(url, strict)).toBe(problem);
  });

  it('allows loopback (over http too) only where local webhooks are allowed, never a private network', () => {
    expect(webhookUrlProblem('http://127.0.0.1:8080/hook', local)).toBeNull();
    expect(webhookUrlProblem('https://[::1]:8443/hook', local)).toBeNull();
    expect(webhookUrlProblem('http://localhost:8080/hook', local)).toBeNull();
    expect(webhookUrlProblem('http://10.0.0.1/hook', local)).toBe('must use https');
    expect(webhookUrlProblem('https://10.0.0.1/hook', local)).toBe(
      'must not name a private, loopback or reserved address',
    );
    expect(webhookUrlProblem('http://hooks.example.org/x', local)).toBe('must use https');
    expect(isAllowedAddress('127.0.0.1', local)).toBe(true);
    expect(isAllowedAddress('127.0.0.1', strict)).toBe(false);
    expect(isAllowedAddress('192.168.0.1', local)).toBe(false);
    // What a name may resolve to at delivery: the IPv4-compatible and -translated forms too.
    for (const a of ['::127.0.0.1', '::7f00:1', '::ffff:0:7f00:1', '::ffff:0:a9fe:a9fe', '::a00:1']) {
      expect(isAllowedAddress(a, strict)).toBe(false);
      expect(isAllowedAddress(a, local)).toBe(false);
    }
  });

  it('refuses at delivery a name that resolves inside the network, for any of its answers', async () => {
    const resolver =
      (addresses: LookupAddress[]) =>
      (_host: string, _opts: object, cb: (err: NodeJS.ErrnoException | null, a: LookupAddress[]) => void) =>
        cb(null, addresses);
    const lookup = (addresses: LookupAddress[], all: boolean) =>
      new Promise<{ err: Error | null; address: unknown }>((resolve) =>
        safeLookup(strict, resolver(addresses))('hooks.example.org', { all }, (err, address) =>
          resolve({ err, address }),
        ),
      );
    const publicV4 = { address: '93.184.215.14', family: 4 };
    expect(await lookup([publicV4], false)).toEqual({ err: null, address: '93.184.215.14' });
    expect(await lookup([publicV4], true)).toEqual({ err: null, address: [publicV4] });
    for (const inside of ['10.0.0.7', '127.0.0.1', '169.254.169.254', '::1', 'fd12::1']) {
      const { err } = await lookup(
        [publicV4, { address: inside, family: inside.includes(':') ? 6 : 4 }],
        true,
      );
      expect(err, inside).toBeInstanceOf(BlockedAddressError);
    }
    expect((await lookup([], true)).err).toBeInstanceOf(BlockedAddressError);
  });
});

describe('webhook messages', () => {
  const event = {
    event: 'advisory.published' as const,
    project: { slug: 'contour', name: 'Contour <&>' },
    advisory: {
      id: 'CTR-ADV-2026-0001',
      cveId: 'CVE-2026-1234',
      title: 'Header crash',
      summary: 'A <crafted> header & more',
      severity: { score: 9.6, severity: 'critical', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H' },
      url: 'https://vigil.example.org/p/contour/advisories/CTR-ADV-2026-0001',
      publishedAt: '2026-12-01T15:00:00.000Z',
    },
  };

  it('posts the stable JSON, or Slack text with its special characters escaped', () => {
    expect(JSON.parse(webhookBody('json', event))).toEqual({ version: 1, ...event });
    const text = (JSON.parse(webhookBody('slack', event)) as { text: string }).text;
    expect(text).toBe(
      [
        '*[SECURITY] Contour &lt;&amp;&gt;: CVE-2026-1234 (CTR-ADV-2026-0001)* Critical (CVSS 9.6)',
        'A &lt;crafted&gt; header &amp; more',
        '<https://vigil.example.org/p/contour/advisories/CTR-ADV-2026-0001|Read the advisory>',
      ].join('\n'),
    );
  });

  it('posts a case event link-only: JSON with its version, Slack text escaped', () => {
    const moved = {
      event: 'case.transition' as const,
      project: { slug: 'contour', name: 'Contour <&>' },
      case: {
        humanId: 'CONTOUR-2026-0007',
        url: 'https://vigil.example.org/cases/CONTOUR-2026-0007',
        state: 'accepted',
      },
      at: '2026-12-03T10:00:00.000Z',
    };
    expect(JSON.parse(webhookBody('json', moved))).toEqual({ version: 1, ...moved });
    expect((JSON.parse(webhookBody('slack', moved)) as { text: string }).text).toBe(
      [
        '*Contour &lt;&amp;&gt;: CONTOUR-2026-0007*, moved to accepted',
        '<https://vigil.example.org/cases/CONTOUR-2026-0007|Open CONTOUR-2026-0007 in Vigil>',
      ].join('\n'),
    );
    const received = { ...moved, event: 'case.received' as const, case: { ...moved.case, state: undefined } };
    expect((JSON.parse(webhookBody('slack', received)) as { text: string }).text).toContain(', new report\n');
  });

  it('signs timestamp.body with HMAC-SHA256, and a receiver can check it', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^vwhsec_[A-Za-z0-9_-]{43}$/);
    const body = webhookBody('json', event);
    const now = new Date('2026-12-01T15:00:05Z');
    const ts = Math.floor(Date.parse('2026-12-01T15:00:00Z') / 1000);
    const signature = signWebhook(secret, ts, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(signWebhook('another', ts, body)).not.toBe(signature);
    const headers = { signature, timestamp: String(ts) };
    expect(verifyWebhook(secret, headers, body, now)).toBe(true);
    expect(verifyWebhook(secret, headers, `${body} `, now)).toBe(false);
    expect(verifyWebhook(secret, { ...headers, timestamp: String(ts + 1) }, body, now)).toBe(false);
    expect(verifyWebhook(secret, headers, body, new Date(now.getTime() + 10 * 60_000))).toBe(false);
    expect(verifyWebhook(secret, { signature: undefined, timestamp: String(ts) }, body, now)).toBe(false);
  });
});
