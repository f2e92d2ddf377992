/** Project OpenPGP keys: the service, its routes, and key-material helpers. See README.md. */
export {
  createPgpService,
  type PgpDeps,
  type PgpService,
  type ProjectKeyDetail,
  type ProjectKeyInfo,
} from './pgp.service.js';
export { registerPgpRoutes } from './pgp.routes.js';
export { ARMORED_KEY_MAX_CHARS } from './openpgp-keys.js';
