/** Runs once before the unit tier: the official schemas' validator, installed if missing. */
import { prepareStandards } from './global-setup.js';

export default function setup(): void {
  prepareStandards();
}
