import type { CaseAttachment } from '../api/types.js';
import { formatBytes } from '../cases/files.js';
import { flagLabel } from '../cases/words.js';
import { DataTable } from './DataTable.js';
import { DateTime } from './DateTime.js';

interface AttachmentListProps {
  attachments: CaseAttachment[];
  /** Where each file downloads from. */
  hrefOf: (attachment: CaseAttachment) => string;
  /** Show who sent each file (the team's view). */
  showUploader?: boolean;
}

/**
 * Attachments as plain download links (the server always answers `Content-Disposition:
 * attachment`), with their size, declared type and any flag such as "unknown type".
 */
export function AttachmentList({ attachments, hrefOf, showUploader = false }: AttachmentListProps) {
  if (attachments.length === 0) return <p className="empty">No attachments.</p>;
  const columns = [
    'File',
    { label: 'Size', numeric: true },
    'Declared type',
    ...(showUploader ? ['From'] : []),
    'Received',
    'SHA-256',
  ];
  return (
    <DataTable columns={columns} data-testid="attachments">
      {attachments.map((a) => (
        <tr key={a.id}>
          <td>
            <a href={hrefOf(a)} download>
              {a.filename}
            </a>
            {a.flags.map((flag) => (
              <span key={flag} className="badge badge-warning">
                {flagLabel(flag)}
              </span>
            ))}
          </td>
          <td className="num">{formatBytes(a.sizeBytes)}</td>
          <td className="mono">{a.contentType}</td>
          {showUploader ? <td>{a.uploadedBy === 'reporter' ? 'Reporter' : a.uploadedBy}</td> : null}
          <td>
            <DateTime value={a.createdAt} />
          </td>
          <td className="mono" title={a.sha256}>
            {a.sha256.slice(0, 12)}…
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
