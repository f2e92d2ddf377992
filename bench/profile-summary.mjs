/**
 * Summarises a V8 CPU profile (from `BENCH_PROFILE=1 npm run bench`, or any `node --cpu-prof`):
 * self time by package or source folder, and the heaviest functions. Usage:
 *   node bench/profile-summary.mjs bench/results/profiles-sqlite/vigil.cpuprofile [top=25]
 */
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [TOP]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));

// Self time per node: the sampling interval after each sample belongs to the node sampled.
const selfUs = new Map();
const { samples, timeDeltas } = profile;
for (let i = 0; i < samples.length; i += 1) {
  const next = timeDeltas[i + 1] ?? 0;
  selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + next);
}

const byGroup = new Map();
const byFunction = new Map();
let total = 0;
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0) continue;
  total += us;
  const { functionName, url, lineNumber } = node.callFrame;
  const group = groupOf(url, functionName);
  byGroup.set(group, (byGroup.get(group) ?? 0) + us);
  const key = `${functionName || '(anonymous)'}  ${shortUrl(url)}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}

/** Where the time went: a package under node_modules, a folder of dist/, node itself, or V8. */
function groupOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const dist = /\/dist\/(src\/[^/]+(?:\/[^/]+)?)\//.exec(url);
  if (dist) return dist[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  return shortUrl(url);
}

function shortUrl(url) {
  return url.replace(/^file:\/\/.*?\/(node_modules|dist|bench)\//, '$1/');
}

function print(title, map) {
  console.log(`\n${title}`);
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [name, us] of rows) {
    console.log(
      `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
    );
  }
}

console.log(`${file}: ${(total / 1e6).toFixed(1)} s of samples`);
print('Self time by package / folder', byGroup);
print('Self time by function', byFunction);
