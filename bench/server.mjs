/**
 * One server under test, run as a child process of run.mjs so that it has a CPU of its own and
 * the load generator does not share its event loop. Argument: JSON `{ target, location }`, where
 * target is `vigil` or `baseline` and location is what openDb takes. Listens on 127.0.0.1 on a free
 * port, reports `{ port }` over IPC, and closes cleanly on the message `stop` (so that a
 * `--cpu-prof` profile is written) or when the parent goes away.
 */
import { createAuditKeys, setAuditKey } from '../dist/src/audit/audit.key.js';
import { openDb } from '../dist/src/db/connection.js';
import { systemClock } from '../dist/src/lib/clock.js';
import { createKeyring } from '../dist/src/lib/crypto/keyring.js';
import { buildApp } from '../dist/src/server/app.js';
import { createServices } from '../dist/src/server/services.js';
import { buildBaselineApp } from './lib/baseline-app.mjs';

const { target, location } = JSON.parse(process.argv[2] ?? '{}');
// The run's audit key (run.mjs sets VIGIL_AUDIT_KEY): both servers append to the keyed chain.
setAuditKey(createAuditKeys(Buffer.from(process.env.VIGIL_AUDIT_KEY ?? '', 'base64')));
// The run's master key (run.mjs sets VIGIL_BENCH_MASTER_KEY): both servers open what the seeder sealed.
const cipher = createKeyring({ current: Buffer.from(process.env.VIGIL_BENCH_MASTER_KEY ?? '', 'base64') });
const db = openDb(location);

async function build() {
  if (target === 'baseline') return buildBaselineApp(db, cipher);
  if (target !== 'vigil') throw new Error(`unknown target '${target}'`);
  const publicUrl = 'http://127.0.0.1';
  const services = createServices({ db, clock: systemClock, cipher, publicUrl });
  return buildApp({ db, services, publicUrl, trustProxy: false, logger: false });
}

const app = await build();
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.send({ port: typeof address === 'object' && address ? address.port : 0 });

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await app.close();
  await db.close();
  process.exit(0);
}
process.on('message', (m) => {
  if (m === 'stop') void stop();
  // The CPU time this process has used (µs, user + system): run.mjs reads it around each measured
  // run, so that the cost per request can be compared on a machine shared with other work.
  if (m === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send({ cpu: user + system });
  }
});
process.on('disconnect', () => void stop());
