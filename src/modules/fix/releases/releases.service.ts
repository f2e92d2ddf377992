/**
 * A case's releases (PROCESS.md §5, §8): the release matrix with what the team recorded against
 * it, the releases recorded line by line (version, planned date, state, link), and the Fix Lead's
 * override of a line that goes on without a green CI run. Releases are recorded from acceptance
 * until publication; after it they are the record of what shipped and do not change.
 */
import { recordCaseRead } from '../../access/access-log.js';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { actorOf, loadCaseFor } from '../../../authz/access.js';
import type { Principal } from '../../../authz/authz.policy.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import { ConflictError, ValidationError, type FieldIssue } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import { projectContextById } from '../../cases/case-context.js';
import { FIX_OPEN_STATES, type CaseState } from '../../cases/case-transitions.js';
import type { CaseCipher } from '../../cases/case-view.js';
import type { CaseRow } from '../../cases/cases.repo.js';
import { retryPublication } from '../../embargo/publication/publication.steps.js';
import { storedActor } from '../actor-name.js';
import { loadReleaseBoard, type ReleaseBoard } from './release-board.js';
import type { MatrixRow } from './release-matrix.js';
import type { RecordReleaseInput } from './releases.schemas.js';
import * as repo from './releases.repo.js';
import { parseLine, parseVersion } from './version-ranges.js';

export interface ReleasesDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
}

export type ReleasesService = ReturnType<typeof createReleasesService>;

export function createReleasesService(deps: ReleasesDeps) {
  const { db, clock, cipher } = deps;
  const k = db.kysely;

  async function boardOf(c: CaseRow): Promise<ReleaseBoard> {
    const project = await projectContextById(k, c.project_id);
    return loadReleaseBoard(k, cipher, c, project.policy);
  }

  /** The row `line` of the case's current matrix, while the case is in the fix phase; 409 otherwise. */
  async function rowFor(c: CaseRow, line: string): Promise<MatrixRow> {
    if (!FIX_OPEN_STATES.includes(c.state as CaseState)) {
      throw new ConflictError(
        `Case ${c.human_id} is ${c.state}: releases are recorded from acceptance until publication.`,
      );
    }
    const board = await boardOf(c);
    const row = board.rows.find((r) => r.line === line);
    if (!row) {
      const rows = board.rows.map((r) => r.line);
      throw new ConflictError(
        `Line ${line} is not in the release matrix of case ${c.human_id} (${rows.length > 0 ? `its rows: ${rows.join(', ')}` : board.explanation}).`,
      );
    }
    return row;
  }

  /** A release's fields as recorded: the input over what was there; 422 naming each problem. */
  function releaseFields(
    c: CaseRow,
    row: MatrixRow,
    before: repo.ReleaseRow | undefined,
    input: RecordReleaseInput,
  ) {
    const fields = {
      version: input.version === undefined ? (before?.version ?? null) : input.version,
      planned_at:
        input.plannedAt === undefined
          ? (before?.planned_at ?? null)
          : input.plannedAt && new Date(input.plannedAt).toISOString(),
      state: input.state,
      url: input.url === undefined ? (before?.url ?? null) : input.url,
    };
    const issues: FieldIssue[] = [];
    if (input.state !== 'planned' && !fields.version) {
      issues.push({ path: 'version', message: `is required for a release that is ${input.state}` });
    }
    const parts = parseLine(row.line);
    const v = fields.version ? parseVersion(fields.version) : null;
    if (row.kind === 'patch' && parts && v && (v.release[0] !== parts[0] || v.release[1] !== parts[1])) {
      issues.push({ path: 'version', message: `must be a version of line ${row.line} (${row.line}.x)` });
    }
    if (issues.length > 0)
      throw new ValidationError(`The release on ${row.line} of case ${c.human_id} is invalid.`, issues);
    return fields;
  }

  return {
    /** The matrix with each row's release, CI status, override and whether it blocks. */
    async getReleases(principal: Principal, ref: string): Promise<ReleaseBoard> {
      const c = await loadCaseFor(k, principal, ref, 'case.workspace.read');
      await recordCaseRead(db, clock, principal, c, 'fix');
      return boardOf(c);
    },

    /**
     * Records the release of `line` (a patch or next row; the main row has no release). Any state
     * may follow any other (a build may be withdrawn); built and published need a version, and a
     * patch release's version is of its line.
     */
    async recordRelease(principal: Principal, ref: string, line: string, input: RecordReleaseInput) {
      const c = await loadCaseFor(k, principal, ref, 'case.fix.manage');
      const row = await rowFor(c, line);
      if (row.kind === 'main-fix') {
        throw new ConflictError(
          `The fix on ${row.branch} ships with no release of its own: record the releases of the other rows.`,
        );
      }
      await k.transaction().execute(async (trx) => {
        const before = await repo.findRelease(trx, c.id, line);
        const fields = releaseFields(c, row, before, input);
        const now = clock.now().toISOString();
        if (before) await repo.updateRelease(trx, before.id, { ...fields, updated_at: now });
        else {
          await repo.insertRelease(trx, {
            id: newId(),
            case_id: c.id,
            line,
            ...fields,
            override_reason_enc: null,
            override_by: null,
            override_at: null,
            updated_at: now,
          });
        }
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'case.release_recorded',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { line, version: fields.version, state: fields.state },
        });
        // A release out may be what held the publication at its instant: try it now.
        if (fields.state === 'published') await retryPublication(trx, clock, c.id, { fixComing: false });
      });
      return boardOf(c);
    },

    /** The Fix Lead goes on without a green run on `line`'s branch, for the reason given (kept encrypted). */
    async overrideLine(principal: Principal, ref: string, line: string, input: { reason: string }) {
      const c = await loadCaseFor(k, principal, ref, 'case.fix.manage');
      await rowFor(c, line);
      await k.transaction().execute(async (trx) => {
        const before = await repo.findRelease(trx, c.id, line);
        const id = before?.id ?? newId();
        const now = clock.now().toISOString();
        const override = {
          override_reason_enc: cipher.encryptField(
            input.reason,
            fieldAad('case_releases', 'override_reason_enc', id),
          ),
          override_by: storedActor(principal),
          override_at: now,
          updated_at: now,
        };
        if (before) await repo.updateRelease(trx, id, override);
        else {
          await repo.insertRelease(trx, {
            id,
            case_id: c.id,
            line,
            version: null,
            planned_at: null,
            state: 'planned',
            url: null,
            ...override,
          });
        }
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'case.release_line_overridden',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { line },
        });
      });
      return boardOf(c);
    },
  };
}
