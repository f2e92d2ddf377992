import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { PRESET_NAMES } from '../../src/modules/policy/policy.presets.js';
import { memberBody, slugSchema } from '../../src/modules/projects/projects.schemas.js';
import { CliError, withDataOption, type Cli } from '../context.js';
import { parseInput } from '../parse.js';

export function registerProjectCommand(program: Command, cli: Cli): void {
  const project = program.command('project').description('manage projects and their security teams');

  withDataOption(
    project.command('create <slug>').description('create a project from a policy preset or a policy file'),
  )
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--preset <preset>', `${PRESET_NAMES.join('|')} or the path of a policy YAML file`)
    .option('--json', 'print the result as JSON')
    .action(
      async (slugArg: string, opts: { name: string; preset: string; data?: string; json?: boolean }) => {
        const slug = parseInput(slugSchema, slugArg, 'slug');
        const name = parseInput(z.string().trim().min(1).max(200), opts.name, 'name');
        const isPreset = (PRESET_NAMES as readonly string[]).includes(opts.preset);
        let policyYaml: string | undefined;
        if (!isPreset) {
          try {
            policyYaml = readFileSync(opts.preset, 'utf8');
          } catch {
            throw new CliError(
              `--preset must be one of ${PRESET_NAMES.join(', ')} or a readable policy file; "${opts.preset}" is neither.`,
              2,
            );
          }
        }
        await cli.withServices(opts, async (services, principal) => {
          const created = await services.projects.createProject(principal, {
            slug,
            name,
            ...(isPreset ? { preset: opts.preset } : { policyYaml }),
          });
          cli.output(
            opts.json,
            created,
            () => `Created project ${created.slug} ("${created.name}") with policy version 1.`,
          );
        });
      },
    );

  withDataOption(project.command('list').description('list projects'))
    .option('--json', 'print the result as JSON')
    .action(async (opts: { data?: string; json?: boolean }) => {
      await cli.withServices(opts, async (services, principal) => {
        const list = await services.projects.listProjects(principal);
        cli.output(
          opts.json,
          list,
          () =>
            list.map((p) => `${p.slug}\t${p.name}\tpolicy v${p.policyVersion}`).join('\n') || 'No projects.',
        );
      });
    });

  const member = project.command('member').description('manage a project’s members');
  withDataOption(member.command('add <slug>').description('add a user to a project in a role'))
    .requiredOption('--email <email>', 'the user’s email address')
    .option('--role <role>', 'security-team', 'security-team')
    .option('--json', 'print the result as JSON')
    .action(async (slug: string, opts: { email: string; role: string; data?: string; json?: boolean }) => {
      const input = parseInput(memberBody, { email: opts.email, role: opts.role });
      await cli.withServices(opts, async (services, principal) => {
        const r = await services.projects.addMember(principal, parseInput(slugSchema, slug, 'slug'), input);
        cli.output(opts.json, r, () =>
          r.status === 'added'
            ? `Added ${r.email} to ${slug} as ${r.role}.`
            : r.status === 'pending'
              ? `Asked to add ${r.email} to ${slug} as ${r.role}: another member of the team must approve (request ${r.requestId ?? ''}).`
              : `${r.email} already is ${r.role} of ${slug}.`,
        );
      });
    });

  withDataOption(member.command('remove <slug>').description('remove a user’s role in a project'))
    .requiredOption('--email <email>', 'the user’s email address')
    .option('--role <role>', 'security-team', 'security-team')
    .action(async (slug: string, opts: { email: string; role: string; data?: string }) => {
      const input = parseInput(memberBody, { email: opts.email, role: opts.role });
      await cli.withServices(opts, async (services, principal) => {
        const user = await services.users.findUserByEmail(input.email);
        if (!user) throw new CliError(`No user has the email ${input.email}.`);
        await services.projects.removeMember(
          principal,
          parseInput(slugSchema, slug, 'slug'),
          user.id,
          input.role,
        );
        cli.out(`Removed ${input.email} (${input.role}) from ${slug}.`);
      });
    });
}
