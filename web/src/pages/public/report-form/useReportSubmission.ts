import { useState } from 'react';
import { browserProblem } from '../../../api/client.js';
import * as api from '../../../api/endpoints.js';
import type { AttachmentInput, ProofOfWork, ReportInput, SubmittedReport } from '../../../api/types.js';
import { solveChallenge } from '../../../cases/proof-of-work.js';
import type { ProjectKey } from '../../../cases/encrypt-report.js';
import { readAttachments } from '../../../cases/files.js';
import { reportFromDraft, type ReportDraft } from '../../../cases/report-draft.js';
import { isUndecryptable, oversizeIssue } from '../../../cases/report-encryption.js';
import { useAsyncAction, useCountdown, type AsyncAction } from '../../../hooks.js';

/** Sent, and how: the case, and the key fingerprint when the report was encrypted in the browser. */
export interface Sent {
  report: SubmittedReport;
  encryptedTo: string | null;
}

export interface ReportSubmission extends Omit<AsyncAction, 'run'> {
  /** Files the report, encrypted to `key` when there is one; on success `sent` is set. */
  submit: (draft: ReportDraft, files: File[], key: ProjectKey | null) => void;
  sent: Sent | null;
  /** Seconds to wait before sending again, after the server said too many reports came (429). */
  waitSeconds: number;
}

/** Encrypts the report to the project's key and files it; refuses early what the server would not take. */
async function sendEncrypted(slug: string, key: ProjectKey, report: ReportInput): Promise<SubmittedReport> {
  let encrypted: string;
  try {
    encrypted = await key.encrypt(report);
  } catch {
    throw browserProblem(
      'Your report could not be encrypted',
      'Try again, or send it without encryption in the browser.',
    );
  }
  const tooBig = oversizeIssue(JSON.stringify({ encrypted }).length);
  if (tooBig) throw browserProblem('Too large', undefined, { status: 413, issues: [tooBig] });
  return api.submitEncryptedReport(slug, encrypted);
}

/**
 * A solved proof-of-work challenge of the project, so that the report is never held as possibly a
 * flood; null when the challenge could not be had (the report is sent anyway: held at worst, never lost).
 */
async function proveNotAFlood(slug: string): Promise<ProofOfWork | null> {
  try {
    const { challenge, difficulty } = await api.getReportChallenge(slug);
    return { challenge, nonce: await solveChallenge(challenge, difficulty) };
  } catch {
    return null;
  }
}

/** Reads the chosen files for the API, or says in words that one could not be read. */
async function readFiles(files: File[]): Promise<AttachmentInput[]> {
  try {
    return await readAttachments(files);
  } catch {
    throw browserProblem(
      'A file could not be read',
      'Check that the chosen files still exist and can be opened, then send again.',
    );
  }
}

/**
 * Sending the report of `slug`'s form: reads the files, encrypts when a key is given, files it,
 * and keeps the refusal (its issues, the wait the server asks for). `onUndecryptable` is told when
 * the team's key could not open the message: most likely the project changed its key meanwhile.
 */
export function useReportSubmission(slug: string, onUndecryptable: () => void): ReportSubmission {
  const [sent, setSent] = useState<Sent | null>(null);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const waitSeconds = useCountdown(retryAt);
  const { busy, error, run } = useAsyncAction({
    onError: ({ retryAfterSeconds, issues }) => {
      if (retryAfterSeconds !== null) setRetryAt(Date.now() + retryAfterSeconds * 1000);
      if (isUndecryptable(issues)) onUndecryptable();
    },
  });

  function submit(draft: ReportDraft, files: File[], key: ProjectKey | null) {
    void run(async () => {
      const [attachments, proofOfWork] = await Promise.all([readFiles(files), proveNotAFlood(slug)]);
      const report: ReportInput = {
        ...reportFromDraft(draft, attachments),
        ...(proofOfWork && { proofOfWork }),
      };
      const result = key ? await sendEncrypted(slug, key, report) : await api.submitReport(slug, report);
      setSent({ report: result, encryptedTo: key?.fingerprint ?? null });
      window.scrollTo(0, 0);
    });
  }

  return { busy, error, submit, sent, waitSeconds };
}
