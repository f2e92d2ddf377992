/**
 * What kinds of attachment a security report is expected to carry (PROCESS.md §2: PoC scripts,
 * screenshots, packet captures, logs, archives), judged by the file's first bytes (an executable or
 * an HTML/SVG document is active content whatever it is called), then its extension, then the
 * declared type: all come from the sender, so anything outside the allow-list is kept but flagged,
 * and types a browser or an operating system would run are flagged as active content. One table for
 * the web form, the API and mail (src/modules/cases/attachments.ts uses it too).
 */
import { ownValue } from '../../lib/own-key.js';

/** `unknown-type`: outside the allow-list; `active-content`: runs when opened (HTML, SVG, executables). */
export type AttachmentTypeFlag = 'unknown-type' | 'active-content';

/** A set from a whitespace-separated list. */
function words(list: string): Set<string> {
  return new Set(list.split(/\s+/).filter((w) => w !== ''));
}

/**
 * Plain-text kinds: proof-of-concept scripts and source, configuration, logs, data and notes. A
 * script is the usual proof of concept, not a surprise; the ones a double-click runs on Windows
 * (.bat, .cmd, .vbs, ...) are active content below.
 */
const TEXT_EXTENSIONS = words(`
  sh bash zsh fish ksh py pyw rb pl pm go rs c h cc cpp cxx hpp hh java kt kts scala groovy swift
  cs fs js mjs cjs jsx ts mts cts tsx vue svelte php lua r dart zig nim ex exs erl hs clj ml
  ps1 psm1 s asm sql graphql gql proto dockerfile makefile mk cmake gradle tf hcl nix rego cue
  jsonnet j2 tpl
  yaml yml json jsonc jsonl ndjson toml xml ini conf cfg properties env plist
  txt log md markdown rst adoc csv tsv diff patch eml har http curl asc pem csr ipynb
`);

const KNOWN_EXTENSIONS = new Set([
  ...TEXT_EXTENSIONS,
  ...words(`
  png jpg jpeg gif webp bmp tif tiff heic mp4 webm mov mkv pdf zip gz tgz tar bz2 xz txz 7z zst pcap
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
  html htm xhtml shtml svg svgz hta mht mhtml exe dll so dylib scr com bat cmd msi msp cpl pif vbs
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

/**
 * The file's extension, lower-case, without the dot; '' when it has none. A dot file's name is its
 * extension (`.env` is `env`), and the few files named by convention (Dockerfile, Makefile) are their own.
 */
export function extensionOf(filename: string): string {
  const base = filename.toLowerCase().replace(/^.*[\\/]/, '');
  if (base === 'dockerfile' || base === 'makefile') return base;
  const dot = base.lastIndexOf('.');
  return dot >= 0 && dot < base.length - 1 ? base.slice(dot + 1) : '';
}

/** Executable formats by their magic numbers: ELF, PE/DOS (MZ), Mach-O (32 and 64 bits, both byte orders). */
const EXECUTABLE_MAGIC: readonly Buffer[] = [
  Buffer.from([0x7f, 0x45, 0x4c, 0x46]), // ELF
  Buffer.from('MZ'), // PE, DOS
  Buffer.from([0xfe, 0xed, 0xfa, 0xce]),
  Buffer.from([0xfe, 0xed, 0xfa, 0xcf]),
  Buffer.from([0xce, 0xfa, 0xed, 0xfe]),
  Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), // Mach-O
];

/** A document a browser renders (and runs the scripts of) when opened: HTML or SVG by its first tag. */
const MARKUP_START =
  /^(?:\ufeff)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|svg|script)\b/i;

/** Whether the content itself is active, whatever its name says: an executable, or HTML/SVG. */
function sniffsActive(bytes: Buffer): boolean {
  if (EXECUTABLE_MAGIC.some((m) => bytes.subarray(0, m.length).equals(m))) return true;
  return MARKUP_START.test(bytes.subarray(0, 1024).toString('utf8'));
}

/**
 * Flags for an attachment named `filename` declared as `contentType` (and, when given, its first
 * bytes sniffed); empty when it is an expected kind.
 */
export function classifyAttachment(
  filename: string,
  contentType: string,
  bytes?: Buffer,
): AttachmentTypeFlag[] {
  const ext = extensionOf(filename);
  const type = contentType.toLowerCase().split(';')[0]?.trim() ?? '';
  if (ACTIVE_EXTENSIONS.has(ext) || ACTIVE_TYPES.has(type)) return ['active-content'];
  if (bytes && sniffsActive(bytes)) return ['active-content'];
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
