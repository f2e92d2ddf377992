/** Starts and stops the servers under test, each in a child process (see ../server.mjs). */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER_SCRIPT = fileURLToPath(new URL('../server.mjs', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Forks a server (`vigil` or `baseline`) on the database at `location` and waits until it listens.
 * With `profileDir`, the child runs under `--cpu-prof` and writes its profile there when stopped.
 */
export async function startServer(target, location, { profileDir } = {}) {
  const execArgv = profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${target}.cpuprofile`]
    : [];
  const child = fork(SERVER_SCRIPT, [JSON.stringify({ target, location })], { execArgv, stdio: 'inherit' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the ${target} server did not start within 30 s`)),
      START_TIMEOUT_MS,
    );
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m.port);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the ${target} server exited (code ${code}) before listening`));
    });
  });
  return {
    target,
    url: `http://127.0.0.1:${port}`,
    /** The server process's CPU time so far, in µs. */
    cpu() {
      return new Promise((resolve) => {
        const onMessage = (m) => {
          if (m && typeof m.cpu === 'number') {
            child.off('message', onMessage);
            resolve(m.cpu);
          }
        };
        child.on('message', onMessage);
        child.send('cpu');
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
