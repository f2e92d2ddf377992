/**
 * What kinds of attachment a security report is expected to carry (PROCESS.md §2: PoC scripts,
 * screenshots, packet captures, logs, archives), judged by file extension first and the declared
 * type second: both come from the sender, so anything outside the allow-list is kept but flagged,
 * and types a browser or an operating system would run are flagged as active content.
 */
import { ownValue } from '../../lib/own-key.js';

/** `unknown-type`: outside the allow-list; `active-content`: runs when opened (HTML, SVG, executables). */
export type AttachmentTypeFlag = 'unknown-type' | 'active-content';

/** A set from a whitespace-separated list. */
function words(list: string): Set<string> {
  return new Set(list.split(/\s+/).filter((w) => w !== ''));
}

/** Plain-text kinds: logs, data, proof-of-concept scripts and source. */
const TEXT_EXTENSIONS = words(`
  txt log md csv tsv json jsonl ndjson yaml yml xml toml ini conf cfg diff patch eml har http py
  sh bash zsh rb pl go c h cc cpp hpp rs java kt js mjs ts php lua sql proto dockerfile tf nix asc
  pem csr
`);

const KNOWN_EXTENSIONS = new Set([
  ...TEXT_EXTENSIONS,
  ...words(`
  png jpg jpeg gif webp bmp tif tiff heic mp4 webm mov pdf zip gz tgz tar bz2 xz txz 7z zst pcap
  pcapng cap gpg pgp sig crt cer der
`),
]);

const KNOWN_TYPES = words(`
  text/plain text/csv text/markdown text/x-diff text/x-patch text/x-log application/json
  application/xml text/xml application/yaml application/pdf image/png image/jpeg image/gif
  image/webp image/bmp image/tiff video/mp4 video/webm video/quicktime application/zip
  application/gzip application/x-gzip application/x-tar application/x-bzip2 application/x-xz
  application/x-7z-compressed application/zstd application/vnd.tcpdump.pcap application/x-pcap
  application/x-pcapng application/pgp-keys application/pgp-signature application/pgp-encrypted
  message/rfc822
`);

const ACTIVE_EXTENSIONS = words(`
  html htm xhtml shtml svg svgz hta mht mhtml exe dll scr com bat cmd msi msp cpl pif ps1 psm1 vbs
  vbe wsf wsh jse lnk reg jar apk app dmg pkg deb rpm iso img docm xlsm pptm dotm xlam
`);

const ACTIVE_TYPES = words(`
  text/html application/xhtml+xml image/svg+xml application/hta
  application/x-msdownload application/x-msdos-program application/x-dosexec application/x-msi
  application/vnd.microsoft.portable-executable application/x-ms-shortcut application/java-archive
  application/vnd.android.package-archive application/x-apple-diskimage
  application/vnd.ms-word.document.macroenabled.12 application/vnd.ms-excel.sheet.macroenabled.12
  application/vnd.ms-powerpoint.presentation.macroenabled.12
`);

/** The file's extension, lower-case, without the dot; '' when it has none. */
export function extensionOf(filename: string): string {
  const base = filename.toLowerCase().replace(/^.*[\\/]/, '');
  if (base === 'dockerfile') return 'dockerfile';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1) : '';
}

/** Flags for an attachment named `filename` declared as `contentType`; empty when it is an expected kind. */
export function classifyAttachment(filename: string, contentType: string): AttachmentTypeFlag[] {
  const ext = extensionOf(filename);
  const type = contentType.toLowerCase().split(';')[0]?.trim() ?? '';
  if (ACTIVE_EXTENSIONS.has(ext) || ACTIVE_TYPES.has(type)) return ['active-content'];
  if (ext !== '') return KNOWN_EXTENSIONS.has(ext) ? [] : ['unknown-type'];
  return KNOWN_TYPES.has(type) ? [] : ['unknown-type'];
}

/** A content type for a file name, for attachments whose decrypted name is all that is known. */
export function contentTypeFor(filename: string): string {
  const ext = extensionOf(filename);
  return (
    ownValue(EXTENSION_TYPES, ext) ?? (TEXT_EXTENSIONS.has(ext) ? 'text/plain' : 'application/octet-stream')
  );
}

const EXTENSION_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  json: 'application/json',
  zip: 'application/zip',
  gz: 'application/gzip',
  tgz: 'application/gzip',
  tar: 'application/x-tar',
  pcap: 'application/vnd.tcpdump.pcap',
  pcapng: 'application/x-pcapng',
  mp4: 'video/mp4',
  webm: 'video/webm',
  html: 'text/html',
  htm: 'text/html',
  svg: 'image/svg+xml',
  exe: 'application/x-msdownload',
  '7z': 'application/x-7z-compressed',
  xz: 'application/x-xz',
  bz2: 'application/x-bzip2',
};
