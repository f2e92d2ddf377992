/** Requests and answers of the fix repository's API. */
import { z } from 'zod';
import {
  WATCHWORD_MAX_LENGTH,
  WATCHWORD_MIN_LENGTH,
  WATCHWORDS_MAX,
  isValidWatchword,
} from './commit-check.js';
import { REPOSITORY_STATES } from './repository.repo.js';

const sha = z.string().max(64);
const commitInfo = {
  sha,
  subject: z.string(),
  author: z.string(),
  committedAt: z.string(),
};

export const repositorySchema = z.object({
  state: z.enum(REPOSITORY_STATES),
  /** Clone and push with a personal API token as the password (any user name). */
  cloneUrl: z.string(),
  /** Where it was seeded from (without credentials); null: it started empty. */
  upstream: z.string().nullable(),
  /** Why seeding failed. */
  error: z.string().nullable(),
  seededAt: z.string().nullable(),
  frozenAt: z.string().nullable(),
  branches: z
    .array(
      z.object({
        name: z.string(),
        head: z.object(commitInfo),
        /** The upstream head it was seeded with; null for a branch the team created. */
        seededFrom: sha.nullable(),
        /** Commits beyond what was seeded (for a new branch: beyond every seeded head). */
        commitsAhead: z.number().int(),
      }),
    )
    .max(200),
  recentCommits: z.array(z.object({ ...commitInfo, branches: z.array(z.string()) })).max(50),
});

export const seedAnswer = z.object({ state: z.enum(REPOSITORY_STATES) });

export const watchwordsInput = z.object({
  words: z
    .array(
      z
        .string()
        .trim()
        .min(WATCHWORD_MIN_LENGTH)
        .max(WATCHWORD_MAX_LENGTH)
        .refine(isValidWatchword, 'must be one line without control characters'),
    )
    .max(WATCHWORDS_MAX),
});

export const wordsAnswer = z.object({ words: z.array(z.string()) });

export const patchesParams = z.object({
  id: z.string().min(1).max(64),
  branch: z.string().min(1).max(200),
});
