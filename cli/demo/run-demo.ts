/**
 * `vigil demo` and `vigil serve --demo`: fill an empty instance with the made-up data of
 * demo.seed.ts (or find it a demo already), print the sign-in link, and serve.
 */
import { loadConfig } from '../../src/lib/config.js';
import { CliError, type Cli } from '../context.js';
import { parsePortOption, serveUntilStopped } from '../serving.js';

export interface DemoOptions {
  port?: string;
  host?: string;
  data?: string;
  serve: boolean;
}

/**
 * Fills an empty instance with the demo (or finds it already a demo), prints the sign-in link and,
 * unless `serve` is false, serves it: `vigil demo` and `vigil serve --demo`.
 */
export async function runDemo(cli: Cli, opts: DemoOptions): Promise<void> {
  const [{ resolvePort }, demo] = await Promise.all([
    import('../../src/server/start.js'),
    import('./demo.seed.js'),
  ]);
  const overrides = { port: parsePortOption(opts.port), host: opts.host, dataDir: opts.data };
  const config = loadConfig(cli.env, overrides);
  // The port the links name: a free one chosen now when asked for 0, and then served on.
  const port = opts.serve ? await resolvePort(config.host, config.port) : config.port;
  const started = Date.now();
  const where = { data: opts.data, port, host: opts.host };
  const now = new Date();
  const clock = demo.demoClock(now);
  const result = await cli.withServices(
    where,
    async (services, operator, db) => {
      if (await demo.isDemoInstance(db.kysely)) {
        const team = await services.users.findUserByEmail(demo.DEMO_TEAM_EMAIL);
        if (!team) throw new CliError('This demo instance has lost its demo team member.');
        const link = await services.signInLinks.createSignInLink(operator, team.id);
        return { seeded: null, link };
      }
      if (await demo.instanceHasData(db.kysely)) {
        throw new CliError(
          `${db.describe} already holds projects or cases: \`vigil demo\` fills only an empty instance. Give it a fresh data directory (\`vigil demo --data DIR\`) or another DATABASE_URL.`,
        );
      }
      const seeded = await demo.seedDemo(services, db, clock, operator, now);
      // The link is made at the real instant: the seed's clock ends there.
      const link = await services.signInLinks.createSignInLink(operator, seeded.teamUserId);
      return { seeded, link };
    },
    { clock },
  );
  const took = ((Date.now() - started) / 1000).toFixed(1);
  // Serving, the server's own lines come first and the demo's sign-in link last, where it is seen.
  if (opts.serve) await serveUntilStopped(cli, { ...config, port }, demo.DEMO_ADMIN_EMAIL);
  if (result.seeded) {
    const s = result.seeded;
    const states = new Set(s.cases.map((c) => c.state));
    cli.out(
      `Demo instance ready in ${took} s: ${s.projects.length} projects (${s.projects.join(', ')}), ${s.cases.length} cases in ${states.size} states. Every page says the data is made up.`,
    );
    cli.out(`A reporter's private link (the reporter's side of a case): ${s.reporterLink}`);
  } else {
    cli.out('This instance already is a demo: nothing was added.');
  }
  cli.out(
    `Sign in as the demo security team member (${demo.DEMO_TEAM_EMAIL}) with this one-time link (valid until ${result.link.expiresAt}); choose any password:`,
  );
  cli.out(`  ${result.link.signInLink}`);
  cli.out(
    `The demo admin (${demo.DEMO_ADMIN_EMAIL}, who reads no case): \`vigil user link --email ${demo.DEMO_ADMIN_EMAIL}\` prints a link.`,
  );
}
