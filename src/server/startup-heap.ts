/**
 * The young generation while `vigil serve` starts. V8 doubles its young generation (up to two
 * 64 MB semi-spaces on a 64-bit machine with this much memory) whenever much of what it allocates
 * survives, which is exactly what loading a server's modules looks like; an idle process then never
 * gives those pages back (V8's memory reducer waits for a low allocation rate that it only measures
 * at the next collection). Measured: 64-128 MB of an idle instance's resident memory was that
 * startup young generation, mostly empty (bench/README.md, "Footprint").
 *
 * So the start runs with growth off (the young generation stays at its initial 1 MB semi-spaces;
 * what survives is promoted, as it would be anyway) and growth is restored once the server is up, so
 * a loaded server sizes its young generation as V8 normally does. An operator's own
 * `--semi-space-growth-factor` (command line or NODE_OPTIONS) is left alone.
 */
import { setFlagsFromString } from 'node:v8';

const FLAG = '--semi-space-growth-factor';
/** V8's default growth factor (`node --v8-options`). */
const V8_DEFAULT_GROWTH = 2;

/** Turns young-generation growth off for the start; the returned function turns it back on. */
export function holdYoungGenerationDuringStart(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
): () => void {
  const operatorSet = [...execArgv, ...nodeOptions.split(/\s+/)].some(
    (arg) => arg.startsWith(FLAG) || arg.startsWith('--semi_space_growth_factor'),
  );
  if (operatorSet) return () => {};
  setFlagsFromString(`${FLAG}=1`);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    setFlagsFromString(`${FLAG}=${V8_DEFAULT_GROWTH}`);
  };
}
