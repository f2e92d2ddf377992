import { describe, expect, it } from 'vitest';
import { isServerPage } from './server-pages.js';

describe('isServerPage', () => {
  it('knows the public site and the security files from the app', () => {
    for (const path of [
      '/',
      '/p/contour',
      '/p/contour/advisories',
      '/p/contour/advisories/CTR-ADV-2026-0001',
      '/p/contour/advisories/CTR-ADV-2026-0001.osv.json',
      '/p/contour/advisories.atom',
      '/advisories.json',
      '/osv/Go/all.zip',
      '/p/contour/security.txt',
      '/p/contour/pgp-key.asc',
      '/?x=1',
      // Unknown pages under /p/: the server's 404 page, not the app.
      '/p/contour/nonsense',
      '/p/nope/deep/unknown/path',
    ]) {
      expect(isServerPage(path), path).toBe(true);
    }
    for (const path of [
      '/projects',
      '/dashboard',
      '/projects/contour',
      '/p/contour/report',
      '/p/contour/distributors/apply',
      '/r/vrt_x',
      '/cases/X-1',
      '/sign-in',
    ]) {
      expect(isServerPage(path), path).toBe(false);
    }
  });
});
