/** The service container: every module's service, built once from shared dependencies. */
import type { Db } from '../db/connection.js';
import type { Clock } from '../lib/clock.js';
import { createAccountsService, type AccountsService } from '../modules/accounts/accounts.service.js';
import type { Keyring } from '../lib/crypto/index.js';
import { createIntakeService, type IntakeService } from '../modules/intake/intake.service.js';
import { createProjectsService, type ProjectsService } from '../modules/projects/projects.service.js';
import { createTriageService, type TriageService } from '../modules/triage/triage.service.js';

export interface Services {
  accounts: AccountsService;
  projects: ProjectsService;
  intake: IntakeService;
  triage: TriageService;
}

export interface ServiceDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField' | 'encryptBytes' | 'decryptBytes'>;
  publicUrl: string;
}

export function createServices(deps: ServiceDeps): Services {
  return {
    accounts: createAccountsService(deps),
    projects: createProjectsService(deps),
    intake: createIntakeService(deps),
    triage: createTriageService(deps),
  };
}
