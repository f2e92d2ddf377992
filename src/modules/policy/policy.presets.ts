/**
 * The seed presets: each reproduces one seed's commitments (PROCESS.md §10). They are TypeScript
 * string constants, not files, so that they ship in dist/ and keep their comments for the editor.
 */
import { ValidationError } from '../../lib/errors.js';
import { parsePolicy } from './policy.parser.js';
import type { Policy } from './policy.schema.js';
import { contourPresetYaml } from './presets/contour.preset.js';
import { emissaryPresetYaml } from './presets/emissary.preset.js';
import { k8spolicyPresetYaml } from './presets/k8spolicy.preset.js';
import { sesamePresetYaml } from './presets/sesame.preset.js';

export const PRESET_NAMES = ['contour', 'sesame', 'emissary', 'k8spolicy'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

const PRESETS: Record<PresetName, string> = {
  contour: contourPresetYaml,
  sesame: sesamePresetYaml,
  emissary: emissaryPresetYaml,
  k8spolicy: k8spolicyPresetYaml,
};

/** True when `name` is one of PRESET_NAMES. */
export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** The YAML text (with its comments) of a preset; an unknown name is a ValidationError listing the valid ones. */
export function getPresetYaml(name: string): string {
  if (!isPresetName(name)) {
    const shown = name.slice(0, 40);
    throw new ValidationError(
      `Unknown policy preset "${shown}". Valid presets: ${PRESET_NAMES.join(', ')}.`,
      [{ path: 'preset', message: `must be one of ${PRESET_NAMES.join(', ')}` }],
    );
  }
  return PRESETS[name];
}

/** A preset, parsed and validated. */
export function getPresetPolicy(name: string): Policy {
  return parsePolicy(getPresetYaml(name));
}
