/**
 * The public, unauthenticated pages: the instance's and each project's security.txt (RFC 9116) and
 * a project's current SECURITY.md. They show only what a project publishes anyway: its policy,
 * its team's public address, and where its report form and key live.
 */
import { projectLabel } from '../../authz/access.js';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { NotFoundError } from '../../lib/errors.js';
import { parsePolicy } from '../policy/policy.parser.js';
import { renderSecurityMd } from '../policy/security-md.renderer.js';
import type { Policy } from '../policy/policy.schema.js';
import * as repo from './public.repo.js';
import { renderSecurityTxt } from './security-txt.js';

export interface PublicDeps {
  db: Db;
  clock: Clock;
  publicUrl: string;
  /**
   * The instance's security contact (VIGIL_SECURITY_CONTACT): a `mailto:`/`https:` URI or a bare
   * email address. Without it, the longest-serving active admin's address is published.
   */
  securityContact?: string | undefined;
  /** The fingerprint of the project's published OpenPGP key, so reporters can check the key they fetch. */
  keyFingerprint?: ((slug: string) => Promise<string>) | undefined;
}

/** RFC 9116 recommends an Expires less than a year ahead; the file is rendered per request. */
const EXPIRES_MS = 364 * 24 * 60 * 60 * 1000;

export type PublicService = ReturnType<typeof createPublicService>;

/** The public pages' service. */
export function createPublicService(deps: PublicDeps) {
  const { db, clock, publicUrl } = deps;
  const k = db.kysely;
  const label = projectLabel;
  const expires = () => new Date(clock.now().getTime() + EXPIRES_MS);
  // RFC 9116 §3: served over https, with https web URIs. Say so in the file when that is not the case.
  const httpsNote = publicUrl.startsWith('https://')
    ? []
    : ['This instance is not served over https (VIGIL_PUBLIC_URL): RFC 9116 requires it.'];

  /** The URLs where a project's public artefacts live. */
  function projectUrls(slug: string) {
    const base = `${publicUrl}/p/${slug}`;
    return {
      report: `${base}/report`,
      pgpKey: `${base}/pgp-key.asc`,
      securityMd: `${base}/SECURITY.md`,
      securityTxt: `${base}/security.txt`,
    };
  }

  async function loadPolicy(slug: string): Promise<{ project: repo.PublicProjectRow; policy: Policy }> {
    const project = await repo.findProjectBySlug(k, slug);
    const yaml = project ? await repo.findCurrentPolicyYaml(k, project) : undefined;
    if (!project || yaml === undefined) throw new NotFoundError(label(slug));
    return { project, policy: parsePolicy(yaml) };
  }

  return {
    projectUrls,

    /** `/.well-known/security.txt` for the instance itself. */
    async instanceSecurityTxt(): Promise<string> {
      const configured = deps.securityContact?.trim();
      const contact = configured ? asContactUri(configured) : await repo.findFirstAdminEmail(k).then(mailto);
      if (!contact) {
        throw new NotFoundError('The security contact of this instance (set VIGIL_SECURITY_CONTACT)');
      }
      return renderSecurityTxt({
        comments: [
          'The Vigil instance itself. Each project publishes its own: /p/<project>/security.txt',
          ...httpsNote,
        ],
        contacts: [contact],
        expires: expires(),
        preferredLanguages: ['en'],
        canonical: [`${publicUrl}/.well-known/security.txt`],
      });
    },

    /** `/p/<slug>/security.txt`: the team's address and report form, key, policy. */
    async projectSecurityTxt(slug: string): Promise<string> {
      const { policy } = await loadPolicy(slug);
      const urls = projectUrls(slug);
      const email = policy.contacts.securityTeam.email;
      const fingerprint = await deps.keyFingerprint?.(slug);
      return renderSecurityTxt({
        comments: [
          ...httpsNote,
          ...(fingerprint ? [`OpenPGP key fingerprint: ${groupFingerprint(fingerprint)}`] : []),
        ],
        contacts: [...(email ? [`mailto:${email}`] : []), urls.report],
        expires: expires(),
        encryption: [urls.pgpKey],
        policy: [urls.securityMd],
        preferredLanguages: ['en'],
        canonical: [urls.securityTxt],
      });
    },

    /** The project's current SECURITY.md, linking to the report form and security.txt. */
    async securityMd(slug: string): Promise<string> {
      const { policy } = await loadPolicy(slug);
      const urls = projectUrls(slug);
      const fingerprint = await deps.keyFingerprint?.(slug);
      return renderSecurityMd(policy, {
        reportUrl: urls.report,
        securityTxtUrl: urls.securityTxt,
        ...(fingerprint && { pgpKey: { url: urls.pgpKey, fingerprint: groupFingerprint(fingerprint) } }),
      });
    },
  };
}

/** `ABCD EF01 ...`: the way fingerprints are read aloud and compared. */
export function groupFingerprint(hex: string): string {
  return hex.toUpperCase().replace(/(.{4})(?!$)/g, '$1 ');
}

function mailto(email: string | undefined): string | undefined {
  return email ? `mailto:${email}` : undefined;
}

/** A bare address becomes `mailto:`; a URI is kept as given. */
function asContactUri(value: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `mailto:${value}`;
}
