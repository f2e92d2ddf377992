/** Runs once before the browser tier: starts the Chromium the journeys share, and stops it after. */
import type { TestProject } from 'vitest/node';
import { launchChromiumServer } from './chromium.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await launchChromiumServer();
  project.provide('chromiumEndpoint', server.wsEndpoint());
  return () => server.close();
}
