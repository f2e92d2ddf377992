/**
 * Representative values for the recorded calls. Only their shape reaches a snapshot (a list's
 * length, a field present or not): values are parameters, shown as placeholders.
 */
import { createAuditKeys, setAuditKey } from '../../audit/audit.key.js';

export const ID = '00000000-0000-4000-8000-000000000001';
export const OTHER_ID = '00000000-0000-4000-8000-000000000002';
export const AT = '2026-01-15T09:30:00.000Z';
export const HASH = 'a'.repeat(64);

/**
 * The audit key of the recorded calls, set for the process: appending and verifying need one. A
 * reply to the head's update names its id, as a log sealed with it would.
 */
export const AUDIT_KEYS = createAuditKeys(Buffer.alloc(32, 0x5a));
setAuditKey(AUDIT_KEYS);
