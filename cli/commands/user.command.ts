import type { Command } from 'commander';
import { MAX_PAGE_SIZE } from '../../src/lib/pagination.js';
import { createUserBody, emailSchema, type UserDto } from '../../src/modules/accounts/accounts.schemas.js';
import { CliError, withDataOption, type Cli } from '../context.js';
import { parseInput } from '../parse.js';

export function registerUserCommand(program: Command, cli: Cli): void {
  const user = program.command('user').description('manage user accounts');

  withDataOption(user.command('add').description('add a user and print a one-time sign-in link'))
    .requiredOption('--email <email>', 'the user’s email address')
    .option('--name <name>', 'display name (defaults to the part of the email before @)')
    .option('--admin', 'make the user an instance admin', false)
    .option('--json', 'print the result as JSON')
    .action(async (opts: { email: string; name?: string; admin: boolean; data?: string; json?: boolean }) => {
      const input = parseInput(createUserBody, {
        email: opts.email,
        name: opts.name ?? opts.email.split('@')[0],
        isAdmin: opts.admin,
      });
      await cli.withServices(
        opts,
        async (services, principal) => {
          const r = await services.users.createUser(principal, input);
          cli.output(opts.json, r, () =>
            [
              `Added ${r.user.email}${r.user.isAdmin ? ' (admin)' : ''}.`,
              `One-time sign-in link (valid until ${r.expiresAt}):`,
              `  ${r.signInLink}`,
            ].join('\n'),
          );
        },
        { printsLinks: true },
      );
    });

  withDataOption(
    user.command('link').description('print a new one-time sign-in link for a user (lost password)'),
  )
    .requiredOption('--email <email>', 'the user’s email address')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { email: string; data?: string; json?: boolean }) => {
      const email = parseInput(emailSchema, opts.email, 'email');
      await cli.withServices(
        opts,
        async (services, principal) => {
          const found = await services.users.findUserByEmail(email);
          if (!found) throw new CliError(`No user has the email ${email}.`);
          const r = await services.signInLinks.createSignInLink(principal, found.id);
          cli.output(
            opts.json,
            r,
            () => `One-time sign-in link for ${email} (valid until ${r.expiresAt}):\n  ${r.signInLink}`,
          );
        },
        { printsLinks: true },
      );
    });

  withDataOption(user.command('list').description('list users'))
    .option('--json', 'print the result as JSON')
    .action(async (opts: { data?: string; json?: boolean }) => {
      await cli.withServices(opts, async (services, principal) => {
        const users: UserDto[] = [];
        for (let cursor: string | undefined; ;) {
          const page = await services.users.listUsers(principal, { cursor, limit: MAX_PAGE_SIZE });
          users.push(...page.users);
          if (page.nextCursor === null) break;
          cursor = page.nextCursor;
        }
        cli.output(
          opts.json,
          users,
          () =>
            users
              .map(
                (u) => `${u.email}\t${u.name}${u.isAdmin ? '\tadmin' : ''}${u.disabled ? '\tdisabled' : ''}`,
              )
              .join('\n') || 'No users.',
        );
      });
    });
}
