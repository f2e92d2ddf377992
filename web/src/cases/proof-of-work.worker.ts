/**
 * The proof of work, solved off the page's thread: the reporter's typing and the page's rendering
 * never wait for it. Receives `{ challenge, difficulty }`, answers `{ nonce }` (or `{ error }`).
 */
import { solveChallenge } from './proof-of-work.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent<{ challenge: string; difficulty: number }>) => void) | null;
  postMessage(message: { nonce: string } | { error: string }): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (event) => {
  const { challenge, difficulty } = event.data;
  solveChallenge(challenge, difficulty).then(
    (nonce) => scope.postMessage({ nonce }),
    (err: unknown) => scope.postMessage({ error: err instanceof Error ? err.message : 'failed' }),
  );
};
