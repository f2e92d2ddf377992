/** Accepting attachments: decode, bound, fingerprint and flag them before they are sealed. */
import { createHash } from 'node:crypto';
import { ValidationError } from '../../lib/errors.js';
import { classifyAttachment } from '../../mail/inbound/attachment-types.js';
import type { AttachmentInput } from './cases.schemas.js';

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
    // A file name is only a label: strip paths and control characters, keep it bounded.
    const filename =
      a.filename
        .replace(/[\\/]/g, '_')
        .replace(/\p{Cc}/gu, '')
        .slice(0, 255) || 'attachment';
    // The same table as mail (a PoC script or a capture is expected; an executable is flagged by its bytes too).
    const flags: string[] = classifyAttachment(filename, contentType, bytes);
    return { filename, contentType, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), flags };
  });
}

/** A Content-Disposition that always downloads, with the name safely encoded (RFC 6266). */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
