/** Accepting attachments: decode, bound, fingerprint and flag them before they are sealed. */
import { createHash } from 'node:crypto';
import { ValidationError } from '../../lib/errors.js';
import type { AttachmentInput } from './cases.schemas.js';

/** Types a security report plausibly carries; anything else is kept but flagged for the team. */
const KNOWN_TYPES = [
  /^text\/(plain|markdown|csv|x-diff|x-patch|x-log)$/,
  /^image\/(png|jpeg|gif|webp)$/,
  /^application\/(pdf|json|xml|zip|gzip|x-gzip|x-tar|x-7z-compressed|x-xz|vnd\.tcpdump\.pcap|x-pcapng|octet-stream|pgp-encrypted|pgp-keys|x-yaml|yaml)$/,
  /^video\/(mp4|webm)$/,
];

export interface AcceptedAttachment {
  filename: string;
  contentType: string;
  bytes: Buffer;
  sha256: string;
  flags: string[];
}

/** Decodes and checks attachments against the per-case budget left; names the field that is over. */
export function acceptAttachments(
  inputs: AttachmentInput[],
  budgetBytes: number,
  field = 'attachments',
): AcceptedAttachment[] {
  let total = 0;
  return inputs.map((a, i) => {
    const bytes = Buffer.from(a.contentBase64, 'base64');
    total += bytes.length;
    if (total > budgetBytes) {
      throw new ValidationError('The attachments are too large for this report.', [
        {
          path: `${field}.${i}`,
          message: `attachments may total at most ${budgetBytes} more bytes for this case`,
        },
      ]);
    }
    const contentType = a.contentType.toLowerCase();
    const flags = KNOWN_TYPES.some((re) => re.test(contentType)) ? [] : ['unknown-type'];
    // A file name is only a label: strip paths and control characters, keep it bounded.
    const filename =
      a.filename
        .replace(/[\\/]/g, '_')
        .replace(/\p{Cc}/gu, '')
        .slice(0, 255) || 'attachment';
    return { filename, contentType, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), flags };
  });
}

/** A Content-Disposition that always downloads, with the name safely encoded (RFC 6266). */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
