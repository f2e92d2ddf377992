/** Vigil's version, as the API, exports and the CLI report it. */
export const VIGIL_VERSION = '0.1.0';
