/**
 * Every command, loaded lazily: `vigil --help` lists them from this table without importing any,
 * and a run imports only the command its arguments name (so `vigil cvss` never loads the server).
 * Add an entry when you add a command file; index.test.ts checks that each entry's name, usage and
 * description are what its command file registers.
 */
import { Help, type Command } from 'commander';
import type { Cli } from '../context.js';

/** Adds a command (and its subcommands) to the program, bound to one run's io. */
export type RegisterCommand = (program: Command, cli: Cli) => void;

export interface CommandEntry {
  name: string;
  /** What `vigil --help` shows after the name, e.g. `[options] <vector>`; empty for none. */
  usage: string;
  description: string;
  load(): Promise<RegisterCommand>;
}

/** The commands, in the order `vigil --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'serve',
    usage: '[options]',
    description: 'start Vigil: migrate, create the first admin on an empty instance, serve HTTP and run jobs',
    load: async () => (await import('./serve.command.js')).registerServeCommand,
  },
  {
    name: 'demo',
    usage: '[options]',
    description:
      'fill an empty instance with made-up projects and cases (every page says so), print a sign-in link, and serve it',
    load: async () => (await import('./demo.command.js')).registerDemoCommand,
  },
  {
    name: 'migrate',
    usage: '[options]',
    description: 'bring the database schema up to date',
    load: async () => (await import('./migrate.command.js')).registerMigrateCommand,
  },
  {
    name: 'user',
    usage: '',
    description: 'manage user accounts',
    load: async () => (await import('./user.command.js')).registerUserCommand,
  },
  {
    name: 'token',
    usage: '',
    description: 'manage API tokens',
    load: async () => (await import('./token.command.js')).registerTokenCommand,
  },
  {
    name: 'project',
    usage: '',
    description: 'manage projects and their security teams',
    load: async () => {
      const [project, key] = await Promise.all([
        import('./project.command.js'),
        import('./project-key.command.js'),
      ]);
      return (program, cli) => {
        project.registerProjectCommand(program, cli);
        key.registerProjectKeyCommand(program, key.projectKeyIo(cli));
      };
    },
  },
  {
    name: 'policy',
    usage: '',
    description: 'project policies: presets, validation, SECURITY.md',
    load: async () => {
      const { registerPolicyCommand, policyCommandIo } = await import('./policy.command.js');
      return (program, cli) => registerPolicyCommand(program, policyCommandIo(cli));
    },
  },
  {
    name: 'mail',
    usage: '',
    description: 'mail intake',
    load: async () => (await import('./mail.command.js')).registerMailCommand,
  },
  {
    name: 'advisory',
    usage: '',
    description: 'advisories',
    load: async () => (await import('./advisory.command.js')).registerAdvisoryCommand,
  },
  {
    name: 'audit',
    usage: '',
    description: 'the keyed, hash-chained audit log',
    load: async () => (await import('./audit.command.js')).registerAuditCommand,
  },
  {
    name: 'runner',
    usage: '[options]',
    description:
      'run CI for fix repositories (--url, --token-file), or manage runners (register, list, revoke)',
    load: async () => (await import('./runner.command.js')).registerRunnerCommand,
  },
  {
    name: 'check-commits',
    usage: '[options] [range]',
    description: "refuse commit messages and branch names that name a case's ids or the team's words",
    load: async () => (await import('./check-commits.command.js')).registerCheckCommitsCommand,
  },
  {
    name: 'leak',
    usage: '',
    description: 'trace a leaked copy of an early disclosure to its recipient',
    load: async () => (await import('./leak.command.js')).registerLeakCommand,
  },
  {
    name: 'calendar',
    usage: '',
    description: 'compute business-day deadlines and list public holidays (no database needed)',
    load: async () => (await import('./calendar.command.js')).registerCalendarCommand,
  },
  {
    name: 'cvss',
    usage: '[options] <vector>',
    description:
      'score a CVSS v2.0, v3.0, v3.1 or v4.0 vector and print its severity; a malformed vector fails with the reason (no database needed)',
    load: async () => (await import('./cvss.command.js')).registerCvssCommand,
  },
  {
    name: 'keys',
    usage: '',
    description: 'the master key that encrypts data at rest',
    load: async () => (await import('./keys.command.js')).registerKeysCommand,
  },
  {
    name: 'doctor',
    usage: '[options]',
    description:
      'check the setup (public URL, SMTP, master key, database, disk space, job runner) and say what to fix',
    load: async () => (await import('./doctor.command.js')).registerDoctorCommand,
  },
  {
    name: 'cwe',
    usage: '',
    description: 'search MITRE CWE 4.17 weaknesses (no database needed)',
    load: async () => (await import('./cwe.command.js')).registerCweCommand,
  },
];

/** The command `argv` runs (or asks help for): its first word, or the one after `help`. */
export function commandNamed(argv: readonly string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/**
 * Registers every command on `program`: the one `argv` names in full, the others as entries that
 * only `vigil --help` reads (their name, usage and description).
 */
export async function registerCommands(program: Command, cli: Cli, argv: readonly string[]): Promise<void> {
  const listed = new Map<Command, string>();
  const defaultTerm = new Help();
  program.configureHelp({
    subcommandTerm: (cmd) => listed.get(cmd) ?? defaultTerm.subcommandTerm(cmd),
  });
  const named = commandNamed(argv);
  for (const entry of COMMANDS) {
    if (entry.name === named) {
      (await entry.load())(program, cli);
    } else {
      const stub = program.command(entry.name).description(entry.description);
      listed.set(stub, entry.usage ? `${entry.name} ${entry.usage}` : entry.name);
    }
  }
}
