import type { Command } from 'commander';
import { z } from 'zod';
import { emailSchema, TOKEN_MAX_DAYS } from '../../src/modules/accounts/accounts.schemas.js';
import { CliError, withDataOption, type Cli } from '../context.js';
import { parseInput } from '../parse.js';

/** Parses `30d`, `12h`-free day counts: `7d`, `30d`, `365d` (a bare number means days). */
export function parseExpiry(text: string): number {
  const m = /^(\d{1,4})d?$/.exec(text.trim());
  const days = m?.[1] ? Number(m[1]) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > TOKEN_MAX_DAYS) {
    throw new CliError(
      `--expires must be a number of days from 1d to ${TOKEN_MAX_DAYS}d (for example 30d), not "${text}".`,
      2,
    );
  }
  return days;
}

export function registerTokenCommand(program: Command, cli: Cli): void {
  const token = program.command('token').description('manage API tokens');
  withDataOption(token.command('create').description('create an API token for a user and print it once'))
    .requiredOption('--email <email>', 'the token’s owner')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--expires <days>', 'lifetime, e.g. 30d (at most 365d)', '90d')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { email: string; name: string; expires: string; data?: string; json?: boolean }) => {
      const email = parseInput(emailSchema, opts.email, 'email');
      const name = parseInput(z.string().trim().min(1).max(100), opts.name, 'name');
      const expiresInDays = parseExpiry(opts.expires);
      await cli.withServices(opts, async (services, principal) => {
        const user = await services.users.findUserByEmail(email);
        if (!user) throw new CliError(`No user has the email ${email}.`);
        const r = await services.apiTokens.createApiToken(principal, {
          userId: user.id,
          name,
          expiresInDays,
        });
        cli.output(opts.json, r, () =>
          [
            `API token "${r.name}" for ${email}, valid until ${r.expiresAt}. It is shown only now:`,
            r.token,
          ].join('\n'),
        );
      });
    });
}
