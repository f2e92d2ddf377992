/** The response schema of an ability map, so the API document names every ability the UI is told. */
import { z } from 'zod';
import type { Action } from './authz.policy.js';

/** Exactly `actions`, each a boolean: the schema of `abilities(principal, actions, resource)`. */
export function abilityMapSchema<const A extends readonly Action[]>(actions: A) {
  const shape = Object.fromEntries(actions.map((action) => [action, z.boolean()]));
  return z.object(shape as Record<A[number], z.ZodBoolean>);
}
