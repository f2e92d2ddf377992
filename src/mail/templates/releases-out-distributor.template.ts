/**
 * To every person of each distributors-list organisation the case was shared with, after
 * publication: the releases are out (Contour's security response checklist, seeds/004: "Follow up
 * on the distributors list as well notifying users that releases are out"). Everything in it is
 * public by then: the advisory's ids, the release versions and the public advisory's address.
 */
import { z } from 'zod';
import { formatInstant } from '../../lib/format-instant.js';
import {
  body,
  instantParam,
  linkParam,
  parseParams,
  projectNameParam,
  timeZoneParam,
  type RenderedMail,
} from './template-kit.js';

/** A version the follow-up names, and how many at most: what the parameters accept. */
const RELEASE_VERSION = /^v?[0-9A-Za-z.+-]{1,80}$/;
export const MAX_RELEASES = 50;

/**
 * The versions the follow-up can name: those it accepts (a version such as `1:2.3-4` or one with
 * spaces is left out), at most MAX_RELEASES; how many were left out (the public advisory has them all).
 */
export function fitReleases(versions: readonly string[]): { releases: string[]; omitted: number } {
  const releases = versions.filter((v) => RELEASE_VERSION.test(v)).slice(0, MAX_RELEASES);
  return { releases, omitted: versions.length - releases.length };
}

export const releasesOutDistributorParams = z.strictObject({
  projectName: projectNameParam,
  /** The id the distributors' notice named the issue by: `CTR-ADV-2026-0001`. */
  advisoryId: z.string().regex(/^[A-Z0-9]{1,20}-ADV-\d{4}-\d{4,9}$/, 'must be an advisory id'),
  cveId: z
    .string()
    .regex(/^CVE-\d{4}-\d{4,19}$/, 'must be a CVE id')
    .nullable(),
  /** The versions released with the fix. */
  releases: z.array(z.string().regex(RELEASE_VERSION, 'must be a version')).max(MAX_RELEASES),
  /** Versions left out (fitReleases): named by count, the advisory lists them. */
  omitted: z.number().int().min(0).max(100_000).default(0),
  /** The public advisory page. */
  link: linkParam,
  publishedAt: instantParam,
  timeZone: timeZoneParam,
});
export type ReleasesOutDistributorParams = z.input<typeof releasesOutDistributorParams>;

/** Renders `releases-out.distributor`. */
export function renderReleasesOutDistributor(params: ReleasesOutDistributorParams): RenderedMail {
  const p = parseParams('releases-out.distributor', releasesOutDistributorParams, params);
  const name = p.cveId ? `${p.advisoryId} (${p.cveId})` : p.advisoryId;
  const short =
    [...p.projectName].length <= 60 ? p.projectName : `${[...p.projectName].slice(0, 59).join('')}…`;
  return {
    subject: `[${short} security] Releases are out: ${name}`,
    text: body(
      [
        `The embargo on ${name} has ended: the advisory was published at ${formatInstant(p.publishedAt, p.timeZone, 'short')}${p.cveId ? `, with its CVE id ${p.cveId}` : ''}.`,
        p.releases.length > 0
          ? `The releases with the fix are out: ${p.releases.join(', ')}${p.omitted > 0 ? `, and ${p.omitted} more listed in the advisory` : ''}.`
          : p.omitted > 0
            ? 'The releases with the fix are out: the advisory lists them.'
            : 'The fix is public.',
        `The public advisory:\n${p.link}`,
        'You may now publish your own advisory for your distribution and its users.',
      ],
      `You receive this because you are on the ${p.projectName} distributors list and this issue was disclosed to your organisation under embargo.`,
    ),
  };
}
