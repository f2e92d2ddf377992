/**
 * CVSS v2.0, v3.0, v3.1 and v4.0: a strict vector parser (every problem named, with a machine
 * code), scores and severity bands. Validate first, then score: see README.md in this folder.
 */
export {
  CVSS_METRICS,
  CVSS_VERSIONS,
  notDefinedValue,
  type CvssMetricDefinition,
  type CvssMetricGroup,
  type CvssVersion,
} from './metrics.js';
export {
  InvalidCvssVectorError,
  MAX_CVSS_VECTOR_LENGTH,
  ParsedCvss,
  checkCvss,
  parseCvss,
  type CvssCheck,
  type CvssProblem,
  type CvssProblemCode,
} from './vector-parser.js';
export { scoreCvss, severityOf, type CvssScore, type CvssSeverity } from './scores.js';
