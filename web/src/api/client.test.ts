import { describe, expect, it, vi } from 'vitest';
import { exportUrl, vexExportUrl } from './advisory.js';
import { ApiError, answer, linkTo } from './client.js';
import { caseAttachmentUrl } from './endpoints.js';

const ok = (data: unknown) => Promise.resolve({ data, response: new Response(null, { status: 200 }) });

describe('linkTo', () => {
  it('fills the path parameters of a path the API document names, encoded', () => {
    expect(caseAttachmentUrl('CTR-2026-0001', 'a/b')).toBe('/api/v1/cases/CTR-2026-0001/attachments/a%2Fb');
    expect(
      linkTo('/api/v1/reporter/cases/{token}/attachments/{attachmentId}', {
        token: 'vrt_x',
        attachmentId: 'f',
      }),
    ).toBe('/api/v1/reporter/cases/vrt_x/attachments/f');
  });

  it('adds the query parameters that are set', () => {
    expect(exportUrl('CTR-2026-0001', 'osv')).toBe('/api/v1/cases/CTR-2026-0001/advisory/export?format=osv');
    expect(vexExportUrl('CTR-2026-0001', 'component_not_present', 'not built & not shipped')).toBe(
      '/api/v1/cases/CTR-2026-0001/advisory/export?format=vex&justification=component_not_present&impact=not+built+%26+not+shipped',
    );
  });
});

describe('answer', () => {
  it('returns the body of a success answer', async () => {
    await expect(answer(ok({ id: 'x' }))).resolves.toEqual({ id: 'x' });
  });

  it('turns a missing or unreadable body into an ApiError the page can show', async () => {
    await expect(answer(ok(undefined))).rejects.toMatchObject({
      problem: { title: 'The server sent an unreadable answer' },
    });
    await expect(answer(Promise.reject(new SyntaxError('Unexpected token <')))).rejects.toBeInstanceOf(
      ApiError,
    );
  });

  it('passes an abort through as it is', async () => {
    const abort = new DOMException('The operation was aborted.', 'AbortError');
    await expect(answer(Promise.reject(abort))).rejects.toBe(abort);
  });
});

describe('abortSessionReads', () => {
  it('aborts the session reads on their way, lets writes and later reads go', async () => {
    // A fetch that answers only when told, and rejects as soon as its request is aborted.
    const pending: { request: Request; answer: () => void }[] = [];
    vi.stubGlobal('fetch', (request: Request) => {
      return new Promise<Response>((resolve, reject) => {
        request.signal.addEventListener('abort', () => reject(request.signal.reason));
        pending.push({
          request,
          answer: () => resolve(Response.json({ notifications: [], nextCursor: null, unread: 0 })),
        });
      });
    });
    // The UI's paths are relative to the page; here, to a made-up origin.
    const BaseRequest = Request;
    vi.stubGlobal(
      'Request',
      class extends BaseRequest {
        constructor(input: RequestInfo | URL, init?: RequestInit) {
          super(typeof input === 'string' ? new URL(input, 'http://vigil.test') : input, init);
        }
      },
    );
    vi.resetModules();
    try {
      const client = await import('./client.js');
      const read = client.api.GET('/api/v1/me/notifications', { params: { query: { limit: 1 } } });
      const write = client.api.POST('/api/v1/me/notifications/read', { body: { all: true } });
      await vi.waitFor(() => expect(pending).toHaveLength(2));
      client.abortSessionReads();
      await expect(read).rejects.toSatisfy(client.isAbort);
      expect(pending[1]?.request.signal.aborted).toBe(false);
      pending[1]?.answer();
      await expect(write).resolves.toMatchObject({ response: { status: 200 } });
      const later = client.api.GET('/api/v1/me/notifications', { params: { query: { limit: 1 } } });
      await vi.waitFor(() => expect(pending).toHaveLength(3));
      pending[2]?.answer();
      await expect(later).resolves.toMatchObject({ data: { unread: 0 } });
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });
});
