// The Node.js version check `bin/vigil` runs before it loads anything else: under an older Node
// the native modules (better-sqlite3, argon2) built for the supported one crash the process
// (a segfault under Node 20) instead of saying what is wrong. Plain JavaScript, no imports.

/**
 * The message to print when `version` (as in `process.versions.node`) is older than the `engines`
 * range `required` (`>=22.12`), or null when it is new enough.
 * @param {string} version
 * @param {string} required
 * @returns {string | null}
 */
export function nodeVersionProblem(version, required) {
  const min = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(required.trim());
  if (!min) throw new Error(`Unreadable engines.node range: ${required}`);
  const want = [Number(min[1]), Number(min[2] ?? 0), Number(min[3] ?? 0)];
  const have = version.replace(/^v/, '').split(/[.-]/).slice(0, 3).map(Number);
  for (let i = 0; i < 3; i += 1) {
    const h = Number.isFinite(have[i]) ? have[i] : 0;
    if (h > want[i]) return null;
    if (h < want[i]) {
      const needed = want[2] === 0 ? `${want[0]}.${want[1]}` : want.join('.');
      return `Vigil needs Node.js ${needed} or newer (24 LTS recommended); this is ${version.replace(/^v?/, 'v')}.`;
    }
  }
  return null;
}
