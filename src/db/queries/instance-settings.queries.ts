import * as settings from '../../lib/instance-settings.js';
import { declareQueries } from './query-snapshot.js';
import { AT } from './samples.js';

export default declareQueries('src/lib/instance-settings.ts', settings, {
  instanceHasData: ({ db }) => settings.instanceHasData(db.kysely),
  isDemoInstance: ({ db }) => settings.isDemoInstance(db.kysely),
  markDemoInstance: ({ trx }) => settings.markDemoInstance(trx, AT),
});
