/** Files chosen in the browser, read as base64 for the API, and their sizes in words. */
import type { AttachmentInput } from '../api/types.js';

/** What the policy allows a case by default (25 MiB); a project may allow less or more. */
export const DEFAULT_MAX_CASE_BYTES = 25 * 1024 * 1024;

/** A size in words: "812 B", "14.2 KiB", "3.1 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = value >= 100 ? String(Math.round(value)) : value.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${units[unit]}`;
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      // A data: URL: "data:<type>;base64,<payload>".
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}.`));
    reader.readAsDataURL(file);
  });
}

/** Reads the files in the browser (nothing leaves it until the form is sent) as the API's attachments. */
export async function readAttachments(files: readonly File[]): Promise<AttachmentInput[]> {
  return Promise.all(
    files.map(async (file) => ({
      // The API takes a single line; a file name with a line break is unusual but possible.
      filename: file.name.replace(/[\r\n]+/g, ' ').slice(0, 255) || 'attachment',
      contentType: file.type || 'application/octet-stream',
      contentBase64: await readBase64(file),
    })),
  );
}
