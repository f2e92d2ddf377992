/**
 * Where copies of one notice may differ without changing what it says: equivalent spellings a
 * reader does not notice (contractions, British and American spellings, hyphenated compounds,
 * synonyms that keep the grammar, a serial comma, "; however," or ". However,", the order of two
 * equivalent list items). Each rule finds its places in the rendered text; a place becomes a slot
 * whose variant each copy draws from its seed (copy-variations.ts). Every variant tokenises
 * differently (trace-tokens.ts), so the choice still shows after rewrapping, collapsed white space
 * or normalised quotes and dashes.
 */

/** The kinds of slot, named in the evidence of a trace. */
export const SLOT_RULES = [
  'contraction',
  'wording',
  'spelling',
  'hyphen',
  'number',
  'serial-comma',
  'semicolon',
  'punctuation',
  'order',
] as const;
export type SlotRule = (typeof SLOT_RULES)[number];

/** Equivalent phrases: any of `detect` (default: every form) may be written as any of `forms`. */
export interface PhraseRule {
  rule: SlotRule;
  forms: readonly string[];
  detect?: readonly string[];
  /** What must come before (a lookbehind, case-insensitive). */
  before?: string;
  /** What must not come before. */
  notBefore?: string;
  /** What must follow (a lookahead). */
  after?: string;
  /** What must not follow. */
  notAfter?: string;
  /** Lower-case occurrences only: a capitalised one may be a name (the Authorization header). */
  lowerOnly?: boolean;
}

/** "It is", "there is", "we are": contracted only before words where the contraction reads well. */
const BEFORE_COMPLEMENT =
  '\\s+(?:not|no|a|an|the|possible|recommended|likely|unlikely|important|also|only|still|now|therefore|fixed|affected|vulnerable|safe|unsafe|enabled|disabled|used|exploitable|exposed|required|necessary|advisable|worth)\\b';
const MODAL = "\\b(?:to|can|could|may|might|will|would|cannot|can\u2019t|can't|and|or|not|easily)\\s+";

/** Verbs after which "that" and "which" both open a restrictive clause ("a route that is meant..."). */
const RELATIVE_VERBS =
  'is|are|was|were|has|have|does|do|can|could|may|might|will|would|sends|uses|runs|reads|accepts|contains|includes|handles|receives|forwards|calls|points|matches|holds|allows|lets|needs|requires|depends';

/** Nouns for people, after which "which" would read wrong. */
const PERSONS =
  'attackers?|users?|persons?|people|reporters?|maintainers?|administrators?|admins?|operators?|developers?|members?|customers?|someone|anyone|everyone|researchers?';

/** Sentence openers that read as well with or without their comma. */
const OPENERS = [
  'alternatively',
  'additionally',
  'currently',
  'unfortunately',
  'fortunately',
  'finally',
  'similarly',
  'consequently',
  'meanwhile',
  'previously',
  'in practice',
  'in this case',
  'by default',
  'for now',
];

const CONTRACTIONS: PhraseRule[] = [
  ['do not', "don't"],
  ['does not', "doesn't"],
  ['did not', "didn't"],
  ['is not', "isn't"],
  ['are not', "aren't"],
  ['was not', "wasn't"],
  ['were not', "weren't"],
  ['has not', "hasn't"],
  ['have not', "haven't"],
  ['had not', "hadn't"],
  ['will not', "won't"],
  ['would not', "wouldn't"],
  ['could not', "couldn't"],
  ['should not', "shouldn't"],
  ['cannot', "can't"],
].map(([full, short]) => ({ rule: 'contraction', forms: [full ?? '', short ?? ''] }));

const PRONOUN_CONTRACTIONS: PhraseRule[] = [
  { rule: 'contraction', forms: ['it is', "it's"], after: BEFORE_COMPLEMENT },
  { rule: 'contraction', forms: ['there is', "there's"], after: BEFORE_COMPLEMENT },
  { rule: 'contraction', forms: ['we are', "we're"], after: '\\s+\\p{L}' },
  { rule: 'contraction', forms: ['we will', "we'll"], after: '\\s+\\p{L}' },
  { rule: 'contraction', forms: ['you are', "you're"], after: '\\s+\\p{L}' },
  { rule: 'contraction', forms: ['you will', "you'll"], after: '\\s+\\p{L}' },
  { rule: 'contraction', forms: ['they are', "they're"], after: '\\s+\\p{L}' },
];

const WORDING: PhraseRule[] = [
  { rule: 'wording', forms: ['allows', 'permits'] },
  { rule: 'wording', forms: ['allow', 'permit'], notAfter: '[\\s-]*list' },
  { rule: 'wording', forms: ['allowed', 'permitted'], notAfter: '[\\s-]*list' },
  { rule: 'wording', forms: ['allowing', 'permitting'] },
  { rule: 'wording', forms: ['e.g.', 'for example', 'for instance'] },
  { rule: 'wording', forms: ['i.e.', 'that is'], detect: ['i.e.'] },
  { rule: 'wording', forms: ['so that', 'so'], detect: ['so that'] },
  { rule: 'wording', forms: ['in order to', 'to'], detect: ['in order to'] },
  { rule: 'wording', forms: ['whether or not', 'whether'], detect: ['whether or not'] },
  { rule: 'wording', forms: ['let us know', 'tell us'] },
  { rule: 'wording', forms: ['as soon as possible', 'as early as possible'] },
  { rule: 'wording', forms: ['is able to', 'can'], detect: ['is able to'] },
  { rule: 'wording', forms: ['are able to', 'can'], detect: ['are able to'] },
  { rule: 'wording', forms: ['prior to', 'before'], detect: ['prior to'] },
  { rule: 'wording', forms: ['upon', 'on'], detect: ['upon'] },
  { rule: 'wording', forms: ['via', 'through'], detect: ['via'] },
  { rule: 'wording', forms: ['such as', 'including'] },
  { rule: 'wording', forms: ['results in', 'leads to'] },
  { rule: 'wording', forms: ['result in', 'lead to'] },
  { rule: 'wording', forms: ['resulted in', 'led to'] },
  { rule: 'wording', forms: ['resulting in', 'leading to'] },
  { rule: 'wording', forms: ['bypass', 'circumvent'], before: MODAL },
  { rule: 'wording', forms: ['bypassed', 'circumvented'] },
  { rule: 'wording', forms: ['bypassing', 'circumventing'] },
  { rule: 'wording', forms: ['gain access', 'obtain access'] },
  { rule: 'wording', forms: ['gains access', 'obtains access'] },
  { rule: 'wording', forms: ['gained access', 'obtained access'] },
  { rule: 'wording', forms: ['plan to', 'intend to'], before: '\\b(?:we|they|i|you)\\s+' },
  { rule: 'wording', forms: ['recommend', 'advise'] },
  { rule: 'wording', forms: ['recommends', 'advises'] },
  { rule: 'wording', forms: ['recommended', 'advised'], before: '\\b(?:is|are|strongly)\\s+' },
  { rule: 'wording', forms: ['therefore', 'thus'], detect: ['therefore'] },
  { rule: 'wording', forms: ['although', 'though'], detect: ['although'] },
  { rule: 'wording', forms: ['among', 'amongst'] },
  {
    rule: 'wording',
    forms: ['while', 'whilst'],
    notBefore: '\\b(?:a|the|worth|short|little|long|for a)\\s+',
  },
  { rule: 'wording', forms: ['toward', 'towards'] },
  { rule: 'wording', forms: ['afterward', 'afterwards'] },
  { rule: 'wording', forms: ['about', 'approximately'], after: '\\s+\\d' },
  { rule: 'wording', forms: ['more than', 'over'], detect: ['more than'], after: '\\s+\\d' },
  { rule: 'wording', forms: ['in addition,', 'additionally,', 'furthermore,', 'moreover,'] },
  { rule: 'wording', forms: ['means that', 'means'], detect: ['means that'] },
  { rule: 'wording', forms: ['ensure that', 'ensure'], detect: ['ensure that'] },
  { rule: 'wording', forms: ['ensures that', 'ensures'], detect: ['ensures that'] },
  { rule: 'wording', forms: ['all of the', 'all the'] },
  { rule: 'wording', forms: ['both of the', 'both the'] },
  { rule: 'wording', forms: ['outside of', 'outside'], detect: ['outside of'] },
  {
    rule: 'wording',
    forms: ['specially crafted', 'maliciously crafted', 'specially-crafted', 'maliciously-crafted'],
  },
  { rule: 'wording', forms: ['see the note at the bottom', 'see the note at the end'] },
  { rule: 'wording', forms: ['works for you', 'suits you'] },
  { rule: 'wording', forms: ['any objection', 'any objections'] },
  { rule: 'wording', forms: ['agree on', 'agree upon'] },
  { rule: 'wording', forms: ['hard to', 'difficult to'] },
  { rule: 'wording', forms: ['meant to', 'intended to'] },
  { rule: 'wording', forms: ['upper case', 'uppercase', 'upper-case'] },
  { rule: 'wording', forms: ['lower case', 'lowercase', 'lower-case'] },
  { rule: 'wording', forms: ['side effects', 'side-effects'] },
  { rule: 'wording', forms: ['each', 'every'], after: '\\s+\\p{L}', notAfter: '\\s+(?:of|other|one)\\b' },
  {
    rule: 'wording',
    forms: ['whether', 'if'],
    detect: ['whether'],
    before: '\\b(?:know|see|check|determine|verify|tell us|ask|unclear|or)\\s+',
    notAfter: '\\s+or\\s+not\\b',
  },
  // A restrictive relative clause ("a client that sends"), never "which" after a comma.
  {
    rule: 'wording',
    forms: ['that', 'which'],
    before: '\\b(?:a|an|the|any|every|each|all|some)\\s+[\\p{L}\\-]+\\s+',
    // "An attacker which can" reads wrong: people take "that" or "who".
    notBefore: `\\b(?:${PERSONS})\\s+`,
    after: `\\s+(?:${RELATIVE_VERBS})\\b`,
  },
];

const PUNCTUATION: PhraseRule[] = OPENERS.map((w) => ({
  rule: 'punctuation',
  forms: [`${w},`, w],
  before: '(?:^|[.!?:][ \\t]+|\\n[ \\t]*)',
  after: '\\s+\\p{L}',
}));

const NUMBERS: PhraseRule[] = ['two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'].map(
  (word, i) => ({
    rule: 'number',
    forms: [word, String(i + 2)],
    detect: [word],
    after: '\\s+\\p{Ll}{3,}',
    lowerOnly: true,
  }),
);

const HYPHENATED = [
  'denial-of-service',
  'man-in-the-middle',
  'cross-site',
  'zero-day',
  'end-user',
  'end-users',
  'third-party',
  'open-source',
  'out-of-bounds',
  'use-after-free',
  'user-controlled',
  'attacker-controlled',
  'well-known',
  'up-to-date',
  'rate-limit',
  'rate-limiting',
  'client-side',
  'server-side',
  'high-severity',
  'low-privileged',
  'long-lived',
  'short-lived',
  'read-only',
];

const HYPHENS: PhraseRule[] = [
  ...HYPHENATED.map((h): PhraseRule => ({ rule: 'hyphen', forms: [h, h.replace(/-/g, ' ')] })),
  { rule: 'hyphen', forms: ['user-supplied', 'user supplied', 'user-provided', 'user provided'] },
];

/** Stems that British English writes with -is- and American with -iz- (organise, organize). */
const ISE_STEMS = [
  'sanit',
  'normal',
  'serial',
  'deserial',
  'initial',
  'author',
  'organ',
  'recogn',
  'util',
  'minim',
  'maxim',
  'custom',
  'optim',
  'real',
  'final',
  'summar',
  'categor',
  'priorit',
  'synchron',
  'standard',
  'token',
  'parameter',
  'central',
  'visual',
  'memor',
  'special',
  'stabil',
  'virtual',
  'container',
  'random',
  'canonical',
  'local',
  'personal',
  'emphas',
  'apolog',
  'critic',
  'character',
  'general',
  'regular',
  'harmon',
  'symbol',
];
const ISE_ENDINGS = ['e', 'es', 'ed', 'ing', 'ation', 'ations', 'er', 'ers'];
const OTHER_SPELLINGS: [string, string][] = [
  ['analyse', 'analyze'],
  ['analysed', 'analyzed'],
  ['analyses', 'analyzes'],
  ['analysing', 'analyzing'],
  ['behaviour', 'behavior'],
  ['behaviours', 'behaviors'],
  ['behavioural', 'behavioral'],
  ['favour', 'favor'],
  ['labelled', 'labeled'],
  ['labelling', 'labeling'],
  ['cancelled', 'canceled'],
  ['cancelling', 'canceling'],
  ['modelled', 'modeled'],
  ['modelling', 'modeling'],
  ['signalled', 'signaled'],
  ['travelled', 'traveled'],
  ['defence', 'defense'],
  ['catalogue', 'catalog'],
  ['judgement', 'judgment'],
  ['acknowledgement', 'acknowledgment'],
  ['acknowledgements', 'acknowledgments'],
];

const SPELLINGS: PhraseRule[] = [
  ...ISE_STEMS.flatMap((stem) =>
    ISE_ENDINGS.map((end): PhraseRule => ({
      rule: 'spelling',
      forms: [`${stem}is${end}`, `${stem}iz${end}`],
      lowerOnly: true,
      // The HTTP header keeps its name even in lower case.
      ...(stem === 'author' ? { notAfter: '\\s+header' } : {}),
    })),
  ),
  ...OTHER_SPELLINGS.map(([gb, us]): PhraseRule => ({ rule: 'spelling', forms: [gb, us], lowerOnly: true })),
];

/** Every phrase rule, in no particular order (overlaps are resolved by position, longest first). */
export const PHRASE_RULES: readonly PhraseRule[] = [
  ...CONTRACTIONS,
  ...PRONOUN_CONTRACTIONS,
  ...WORDING,
  ...PUNCTUATION,
  ...NUMBERS,
  ...HYPHENS,
  ...SPELLINGS,
];
