/**
 * Project policy-as-code: the SecurityPolicy schema, its parser (line-numbered issues), the seed
 * presets and the SECURITY.md renderer. See README.md in this folder.
 */
export {
  policySchema,
  POLICY_MAX_BYTES,
  DEFAULT_MAX_ATTACHMENT_BYTES_PER_CASE,
  REPORT_KINDS,
  REJECTION_REASONS,
  SECURITY_PROPERTIES,
  DOS_TRIGGERS,
  FIX_LEAD_SELECTIONS,
  DECIDERS,
  NEGOTIATION_PARTIES,
  DELAY_REASONS,
  type Policy,
  type PolicyInput,
} from './policy.schema.js';
export { parsePolicy } from './policy.parser.js';
export {
  PRESET_NAMES,
  getPresetYaml,
  getPresetPolicy,
  isPresetName,
  type PresetName,
} from './policy.presets.js';
export { renderSecurityMd, type SecurityMdContext } from './security-md.renderer.js';
export { deriveResponseSteps } from './response-steps.js';
