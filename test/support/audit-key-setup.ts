/** vitest setupFiles: every api test file starts with the tests' audit key set (see audit-key.ts). */
import { useTestAuditKey } from './audit-key.js';

useTestAuditKey();
