/**
 * Package URLs to OSV packages, as osv.dev's API reads them (google/osv.dev `go/purl`): the purl's
 * type (and for OS packages its namespace) names the OSV ecosystem, and the namespace joins the
 * name the way each ecosystem writes names (`@scope/pkg` for npm, `group:artifact` for Maven,
 * `vendor/pkg` for Packagist, the module path for Go). Pure.
 */
import { ownValue } from '../../../lib/own-key.js';

/** The OSV package a purl names, and its version when it carries one. */
export interface PurlPackage {
  ecosystem: string;
  name: string;
  version: string | null;
}

/** How a purl type joins its namespace to the name; `null`: the namespace is not part of the name. */
type Join = '/' | ':' | null;

/** `type` or `type/namespace` to the OSV ecosystem and how names are joined (osv.dev's registry). */
const TYPES: Record<string, [string, Join]> = {
  bitnami: ['Bitnami', null],
  cran: ['CRAN', null],
  conan: ['ConanCenter', null],
  hackage: ['Hackage', null],
  hex: ['Hex', '/'],
  julia: ['Julia', null],
  nuget: ['NuGet', null],
  generic: ['OSS-Fuzz', null],
  pub: ['Pub', null],
  pypi: ['PyPI', null],
  gem: ['RubyGems', null],
  swift: ['SwiftURL', '/'],
  cargo: ['crates.io', null],
  npm: ['npm', '/'],
  opam: ['opam', null],
  golang: ['Go', '/'],
  maven: ['Maven', ':'],
  gradle: ['Maven', ':'],
  composer: ['Packagist', '/'],
  dhi: ['Docker Hardened Images', null],
  'apk/chainguard': ['Chainguard', null],
  'apk/minimos': ['MinimOS', null],
  'apk/wolfi': ['Wolfi', null],
  'apk/alpaquita': ['Alpaquita', null],
  'apk/alpine': ['Alpine', null],
  'apk/bellsoft-hardened-containers': ['BellSoft Hardened Containers', null],
  'apk/dhi': ['Docker Hardened Images', null],
  'deb/echo': ['Echo', null],
  'deb/ubuntu': ['Ubuntu', null],
  'deb/debian': ['Debian', null],
  'deb/dhi': ['Docker Hardened Images', null],
  'rpm/almalinux': ['AlmaLinux', null],
  'rpm/azure-linux': ['Azure Linux', null],
  'rpm/mageia': ['Mageia', null],
  'rpm/openeuler': ['openEuler', null],
  'rpm/opensuse': ['openSUSE', null],
  'rpm/redhat': ['Red Hat', null],
  'rpm/rocky-linux': ['Rocky Linux', null],
  'rpm/suse': ['SUSE', null],
};

/** Debian codenames to release numbers (a `distro=bookworm` qualifier means `Debian:12`). */
const DEBIAN_RELEASES: Record<string, string> = {
  buzz: '1.1',
  rex: '1.2',
  bo: '1.3',
  hamm: '2',
  slink: '2.1',
  potato: '2.2',
  woody: '3',
  sarge: '3.1',
  etch: '4',
  lenny: '5',
  squeeze: '6',
  wheezy: '7',
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
  duke: '15',
};

/** Why a purl is refused: it is malformed (a 400), or of a type OSV has no ecosystem for (no results). */
export class PurlError extends Error {
  constructor(
    message: string,
    readonly unknownType = false,
  ) {
    super(message);
  }
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new PurlError(`invalid percent-encoding in '${part.slice(0, 50)}'`);
  }
}

/** The purl's parts (purl-spec's parsing steps), percent-decoded. Throws a PurlError when malformed. */
export function parsePurlParts(purl: string) {
  let rest = purl.trim();
  const hash = rest.indexOf('#');
  const subpath = hash === -1 ? '' : rest.slice(hash + 1).replace(/^\/+|\/+$/g, '');
  if (hash !== -1) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  const qualifiers = new Map<string, string>();
  if (question !== -1) {
    for (const pair of rest.slice(question + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq > 0) qualifiers.set(pair.slice(0, eq).toLowerCase(), decode(pair.slice(eq + 1)));
    }
    rest = rest.slice(0, question);
  }
  if (!/^pkg:/i.test(rest)) throw new PurlError("a Package URL starts with 'pkg:'");
  rest = rest.slice(4).replace(/^\/+/, '');
  const slash = rest.indexOf('/');
  if (slash <= 0) throw new PurlError('a Package URL names a type and a package: pkg:type/name');
  const type = rest.slice(0, slash).toLowerCase();
  if (!/^[a-z.+-][a-z0-9.+-]*$/.test(type)) throw new PurlError(`'${type.slice(0, 50)}' is not a purl type`);
  rest = rest.slice(slash + 1).replace(/\/+$/, '');
  const at = rest.lastIndexOf('@');
  const version = at === -1 ? '' : decode(rest.slice(at + 1));
  if (at !== -1) rest = rest.slice(0, at);
  const segments = rest.split('/').filter(Boolean).map(decode);
  const name = segments.pop();
  if (!name) throw new PurlError('a Package URL names a package');
  return { type, namespace: segments.join('/'), name, version, qualifiers, subpath };
}

/**
 * The OSV package of `purl`. Throws a PurlError: malformed (`unknownType` false), or of a type
 * without an OSV ecosystem (`unknownType` true: osv.dev answers such queries with no results).
 */
export function purlToPackage(purl: string): PurlPackage {
  const p = parsePurlParts(purl);
  const entry = ownValue(TYPES, `${p.type}/${p.namespace.toLowerCase()}`) ?? ownValue(TYPES, p.type);
  if (!entry) throw new PurlError(`unknown PURL type '${p.type}'`, true);
  const [base, join] = entry;
  let name = join && p.namespace ? `${p.namespace}${join}${p.name}` : p.name;
  if (p.type === 'golang' && p.subpath) name = `${name}/${p.subpath}`;
  let ecosystem = base;
  if (base === 'Packagist' && p.qualifiers.get('repository_url')) {
    ecosystem = `Packagist:${p.qualifiers.get('repository_url')}`;
  }
  const distro = p.qualifiers.get('distro')?.toLowerCase();
  if (base === 'Debian' && distro) ecosystem = `Debian:${ownValue(DEBIAN_RELEASES, distro) ?? distro}`;
  return { ecosystem, name, version: p.version || null };
}
