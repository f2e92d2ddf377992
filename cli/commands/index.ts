import type { Command } from 'commander';
import { registerCalendarCommand } from './calendar.command.js';
import { registerMigrateCommand } from './migrate.command.js';

/** Every command, in the order `vigil --help` lists them. Add a line when you add a command file. */
export function registerCommands(program: Command): void {
  registerMigrateCommand(program);
  registerCalendarCommand(program);
}
