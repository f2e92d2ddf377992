/**
 * One POST to a webhook: node's http(s) client with the address check in its DNS lookup
 * (webhook-url.ts), no redirects followed, a 10-second limit, and the answer's body left unread
 * beyond its status. Errors never carry the URL (its path may be a credential).
 */
import { isIP } from 'node:net';
import { isAllowedAddress, safeLookup, webhookUrlProblem, type WebhookUrlOptions } from './webhook-url.js';

export interface WebhookPostOptions extends WebhookUrlOptions {
  timeoutMs?: number | undefined;
}

/** A failed POST: `retryable` when another attempt may succeed (a timeout, a 5xx, a 429). */
export class WebhookPostError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly statusCode: number | null = null,
  ) {
    super(message);
    this.name = 'WebhookPostError';
  }
}

const RETRYABLE_STATUS = new Set([408, 425, 429]);

/** Posts `body` with `headers` to `rawUrl`; resolves with the 2xx status, throws WebhookPostError otherwise. */
export async function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  options: WebhookPostOptions,
): Promise<number> {
  const problem = webhookUrlProblem(rawUrl, options);
  if (problem)
    return Promise.reject(new WebhookPostError(`The webhook's URL is refused: it ${problem}.`, false));
  const url = new URL(rawUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !isAllowedAddress(host, options)) {
    return Promise.reject(new WebhookPostError('The webhook names an address that is not public.', false));
  }
  // Imported here, not at the top: the ESM view of node:http reads every export it has, which loads
  // Node's bundled fetch implementation (undici, ~70 ms) at start for nothing.
  const { request: send } =
    url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: safeLookup(options),
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        // The answer's body is not needed: read and drop it, then settle.
        res.resume();
        res.on('end', () => settle(status));
        res.on('error', () => settle(status));
      },
    );
    let settled = false;
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    function settle(status: number) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (status >= 200 && status < 300) return resolve(status);
      const retryable = status >= 500 || RETRYABLE_STATUS.has(status);
      reject(
        new WebhookPostError(
          status >= 300 && status < 400
            ? `The receiver answered ${status} (a redirect, which Vigil does not follow).`
            : `The receiver answered ${status}.`,
          retryable,
          status,
        ),
      );
    }
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const blocked = err.code === 'EBLOCKEDADDRESS';
      const what = blocked ? err.message : `${err.code ?? err.name}: ${err.message}`;
      // A name that resolves inside the network is a configuration problem: retrying cannot help.
      reject(
        new WebhookPostError(`The delivery failed: ${what.replace(rawUrl, '[url]').slice(0, 300)}`, !blocked),
      );
    });
    req.end(body);
  });
}
