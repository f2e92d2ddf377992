/** See node-version.mjs. */
export function nodeVersionProblem(version: string, required: string): string | null;
