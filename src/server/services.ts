/** The service container: every module's service, built once from shared dependencies. */
import type { Db } from '../db/connection.js';
import type { Clock } from '../lib/clock.js';
import { createAccountsService, type AccountsService } from '../modules/accounts/accounts.service.js';
import {
  createProjectsService,
  type FieldCipher,
  type ProjectsService,
} from '../modules/projects/projects.service.js';

export interface Services {
  accounts: AccountsService;
  projects: ProjectsService;
}

export interface ServiceDeps {
  db: Db;
  clock: Clock;
  cipher: FieldCipher;
  publicUrl: string;
}

export function createServices(deps: ServiceDeps): Services {
  return {
    accounts: createAccountsService(deps),
    projects: createProjectsService(deps),
  };
}
