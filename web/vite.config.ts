/**
 * Builds the web UI into dist/web, which the server serves at `/` under a strict CSP
 * (`script-src 'self'`, `style-src 'self'`): the output must hold no inline script or style.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // The polyfill is an inline <script>, which the CSP would block.
    modulePreload: { polyfill: false },
    // Keep small assets as files: a data: URL would need its own CSP allowance.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  // `npm run dev` serves the API on 8080; the Vite dev server forwards API calls to it.
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
