import { describe, expect, it } from 'vitest';
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
