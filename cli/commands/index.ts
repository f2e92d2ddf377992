import type { Command } from 'commander';
import { registerAdvisoryCommand } from './advisory.command.js';
import { registerAuditCommand } from './audit.command.js';
import { registerCalendarCommand } from './calendar.command.js';
import { registerCvssCommand } from './cvss.command.js';
import { registerCweCommand } from './cwe.command.js';
import { registerKeysCommand } from './keys.command.js';
import { registerMailCommand } from './mail.command.js';
import { registerMigrateCommand } from './migrate.command.js';
import { registerPolicyCommand } from './policy.command.js';
import { registerProjectCommand } from './project.command.js';
import { registerProjectKeyCommand } from './project-key.command.js';
import { registerServeCommand } from './serve.command.js';
import { registerTokenCommand } from './token.command.js';
import { registerUserCommand } from './user.command.js';

/** Every command, in the order `vigil --help` lists them. Add a line when you add a command file. */
export function registerCommands(program: Command): void {
  registerServeCommand(program);
  registerMigrateCommand(program);
  registerUserCommand(program);
  registerTokenCommand(program);
  registerProjectCommand(program);
  registerProjectKeyCommand(program);
  registerPolicyCommand(program);
  registerMailCommand(program);
  registerAdvisoryCommand(program);
  registerAuditCommand(program);
  registerCalendarCommand(program);
  registerCvssCommand(program);
  registerKeysCommand(program);
  registerCweCommand(program);
}
