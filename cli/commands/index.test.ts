import { Command, Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../test/support/cli.js';
import { createCli, processIo } from '../context.js';
import { COMMANDS, commandNamed, registerCommands } from './index.js';

/** A program with every command registered in full, as if all were named. */
async function eagerProgram(): Promise<Command> {
  const program = new Command('vigil').description(
    'Vigil: security disclosure and response for open-source projects',
  );
  const cli = createCli(processIo);
  for (const entry of COMMANDS) (await entry.load())(program, cli);
  return program;
}

describe('the lazy command table', () => {
  it('lists each command with the name, usage and description its file registers', async () => {
    const program = await eagerProgram();
    const help = new Help();
    expect(program.commands.map((c) => c.name())).toEqual(COMMANDS.map((e) => e.name));
    for (const entry of COMMANDS) {
      const cmd = program.commands.find((c) => c.name() === entry.name);
      expect(cmd?.description(), entry.name).toBe(entry.description);
      expect(help.subcommandTerm(cmd ?? program)).toBe(
        entry.usage ? `${entry.name} ${entry.usage}` : entry.name,
      );
    }
  });

  it('prints the same `vigil --help` as the program with every command loaded', async () => {
    const eager = await eagerProgram();
    const lazy = new Command('vigil').description(eager.description());
    await registerCommands(lazy, createCli(processIo), ['--help']);
    expect(lazy.helpInformation()).toBe(eager.helpInformation());
    const printed = await runCommand(['--help']);
    expect(printed).toEqual({ code: 0, stdout: eager.helpInformation(), stderr: '' });
  });

  it('loads only the command the arguments name', async () => {
    expect(commandNamed(['cvss', '--json', 'CVSS:3.1/AV:N'])).toBe('cvss');
    expect(commandNamed(['--help'])).toBeUndefined();
    expect(commandNamed(['help', 'user'])).toBe('user');
    expect(commandNamed(['project', 'key', 'show', 'demo'])).toBe('project');
    const program = new Command('vigil');
    await registerCommands(program, createCli(processIo), ['cvss', 'x']);
    const cvss = program.commands.find((c) => c.name() === 'cvss');
    const user = program.commands.find((c) => c.name() === 'user');
    expect(cvss?.registeredArguments.map((a) => a.name())).toEqual(['vector']);
    expect(user?.commands).toEqual([]);
  });

  it('answers an unknown command with a suggestion and exit 2, as before', async () => {
    const r = await runCommand(['usr']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: unknown command 'usr'\n\(Did you mean user\?\)/);
  });
});
