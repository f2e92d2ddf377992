/**
 * The one headless Chromium the browser journeys share: launched once for the browser tier by
 * global-setup.ts, which hands its endpoint to the journeys; each journey connects and opens its
 * own contexts, so no cookie or storage crosses from one journey to another.
 */
import { existsSync } from 'node:fs';
import { chromium, type BrowserServer } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** The flags every journey's Chromium runs with. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

declare module 'vitest' {
  interface ProvidedContext {
    /** The shared Chromium's Playwright endpoint (`chromium.connect(...)`). */
    chromiumEndpoint: string;
  }
}

/** Throws unless Chromium is installed where the journeys look for it. */
export function assertChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}.`);
}

/** Launches the shared headless Chromium as a Playwright browser server. */
export function launchChromiumServer(): Promise<BrowserServer> {
  assertChromium();
  return chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
