import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';
import { foundation } from './20261121000000_foundation.js';
import { cases } from './20261122000000_cases.js';
import { projectKeys } from './20261122000100_project_keys.js';
import { advisories } from './20261122020000_advisories.js';
import { advisoryTemplates } from './20261122030000_advisory_templates.js';
import { fixPhase } from './20261202000000_fix_phase.js';
import { fixReasonsEncrypted } from './20261202000600_fix_reasons_encrypted.js';
import { caseCvssScore } from './20261202000400_case_cvss_score.js';
import { ciBranchHeads } from './20261202000700_ci_branch_heads.js';
import { distributors } from './20261203000000_distributors.js';
import { distributorApplications } from './20261203000100_distributor_applications.js';
import { disclosureDate } from './20261203000300_disclosure_date.js';
import { earlyDisclosure } from './20261203000200_early_disclosure.js';
import { publication } from './20261203000400_publication.js';
import { auditKeyedChain } from './20261204000000_audit_keyed_chain.js';
import { oidc } from './20261204000400_oidc.js';
import { passkeys } from './20261204000500_passkeys.js';
import { heldIntake } from './20261204000600_held_intake.js';
import { twoFactor } from './20261204000300_two_factor.js';
import { accessLog } from './20261204000100_access_log.js';
import { encryptedCve } from './20261204000700_encrypted_cve.js';
import { inbox } from './20261205000000_inbox.js';
import { listPageIndexes } from './20261205000500_list_page_indexes.js';
import { dashboardDisclosureIndex } from './20261206100100_dashboard_disclosure_index.js';
import { webhookEvents } from './20261206100300_webhook_events.js';
import { notifications } from './20261206100200_notifications.js';
import { notificationSweeps } from './20261206100800_notification_sweeps.js';
import { notificationsRetention } from './20261206100900_notifications_retention.js';
import { jobsKindDue } from './20261206101000_jobs_kind_due.js';
import { runnerHeartbeats } from './20261206100400_runner_heartbeats.js';
import { instanceSettings } from './20261206100700_instance_settings.js';
import type { MigrationContext } from './migration-context.js';

/**
 * Every migration, keyed by its timestamped name. Forward-only: never edit one that has shipped;
 * add a new file and a line here. Each receives the dialect for the rare column type that differs,
 * and one that encrypts stored values the context (its keyring).
 */
export function allMigrations(dialect: Dialect, context: MigrationContext = {}): Record<string, Migration> {
  return {
    '20261121000000_foundation': foundation(dialect),
    '20261122000000_cases': cases(dialect),
    '20261122000100_project_keys': projectKeys(dialect),
    '20261122020000_advisories': advisories(dialect),
    '20261122030000_advisory_templates': advisoryTemplates(dialect),
    '20261202000000_fix_phase': fixPhase(dialect),
    '20261202000400_case_cvss_score': caseCvssScore(dialect),
    '20261202000600_fix_reasons_encrypted': fixReasonsEncrypted(dialect),
    '20261202000700_ci_branch_heads': ciBranchHeads(dialect),
    '20261203000000_distributors': distributors(dialect),
    '20261203000100_distributor_applications': distributorApplications(dialect),
    '20261203000300_disclosure_date': disclosureDate(dialect),
    '20261203000200_early_disclosure': earlyDisclosure(dialect),
    '20261203000400_publication': publication(dialect),
    '20261204000000_audit_keyed_chain': auditKeyedChain(dialect),
    '20261204000400_oidc': oidc(dialect),
    '20261204000500_passkeys': passkeys(dialect),
    '20261204000600_held_intake': heldIntake(dialect),
    '20261204000300_two_factor': twoFactor(dialect),
    '20261204000100_access_log': accessLog(dialect),
    '20261204000700_encrypted_cve': encryptedCve(dialect, context),
    '20261205000000_inbox': inbox(dialect, context),
    '20261205000500_list_page_indexes': listPageIndexes(dialect),
    '20261206100100_dashboard_disclosure_index': dashboardDisclosureIndex(dialect),
    '20261206100300_webhook_events': webhookEvents(dialect),
    '20261206100200_notifications': notifications(dialect),
    '20261206100400_runner_heartbeats': runnerHeartbeats(dialect),
    '20261206100700_instance_settings': instanceSettings(dialect),
    '20261206100800_notification_sweeps': notificationSweeps(dialect),
    '20261206100900_notifications_retention': notificationsRetention(dialect),
    '20261206101000_jobs_kind_due': jobsKindDue(dialect),
  };
}
