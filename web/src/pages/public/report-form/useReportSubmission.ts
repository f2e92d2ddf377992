import { useEffect, useRef, useState } from 'react';
import { browserProblem } from '../../../api/client.js';
import * as api from '../../../api/endpoints.js';
import type { AttachmentInput, ProofOfWork, ReportInput, SubmittedReport } from '../../../api/types.js';
import { solveInBackground } from '../../../cases/proof-of-work.js';
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
  /** Whether the proof of work is solved (a report sent now is not held as possibly a flood, unless the flood grew meanwhile). */
  proofReady: boolean;
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
 * The project's proof-of-work challenge, solved in the background from the moment the form opens,
 * while the reporter writes: a report sent with it is not held as possibly a flood (unless the flood
 * grew so much meanwhile that the server now asks a harder one: then it is held). Sending never
 * waits for it: a report sent before it is solved goes without (held at worst when the project is
 * over its quota, never refused, never lost; the reporter can still confirm it afterwards).
 */
function useProofOfWork(slug: string): { take: () => ProofOfWork | null; ready: boolean } {
  const solved = useRef<ProofOfWork | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const abort = new AbortController();
    solved.current = null;
    setReady(false);
    void (async () => {
      try {
        const { challenge, difficulty } = await api.getReportChallenge(slug);
        const nonce = await solveInBackground(challenge, difficulty, abort.signal);
        solved.current = { challenge, nonce };
        setReady(true);
      } catch {
        // No challenge (offline, refused) or unmounted: the report goes without a proof.
      }
    })();
    return () => abort.abort();
  }, [slug]);
  return { take: () => solved.current, ready };
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
  const proofOfWork = useProofOfWork(slug);
  const { busy, error, run } = useAsyncAction({
    onError: ({ retryAfterSeconds, issues }) => {
      if (retryAfterSeconds !== null) setRetryAt(Date.now() + retryAfterSeconds * 1000);
      if (isUndecryptable(issues)) onUndecryptable();
    },
  });

  function submit(draft: ReportDraft, files: File[], key: ProjectKey | null) {
    void run(async () => {
      const attachments = await readFiles(files);
      const proof = proofOfWork.take();
      const report: ReportInput = {
        ...reportFromDraft(draft, attachments),
        ...(proof && { proofOfWork: proof }),
      };
      const result = key ? await sendEncrypted(slug, key, report) : await api.submitReport(slug, report);
      setSent({ report: result, encryptedTo: key?.fingerprint ?? null });
      window.scrollTo(0, 0);
    });
  }

  return { busy, error, submit, sent, waitSeconds, proofReady: proofOfWork.ready };
}
