/**
 * Folding: a redacted line becomes a template by masking what varies between repetitions
 * (timestamps, UUIDs, hex ids, numbers). HTTP status codes keep their class (500 → 5xx) because the
 * class is the signal.
 */
const STATUS = [
  /((?:status|code|status_code|statusCode)["']?\s*[:=]\s*["']?)([1-5])\d\d\b/gi,
  /(HTTP\/\d(?:\.\d)?"?\s+)([1-5])\d\d\b/g,
  /((?:^|\s))([1-5])\d\d(?=\s+-\s)/g,
];

const MASKS: ReadonlyArray<[RegExp, string]> = [
  [/\b\d{4}[-/]\d{2}[-/]\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<TS>'],
  [/\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<TS>'],
  [/\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2}\b/g, '<DATE>'],
  [/\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, '<ID>'],
  [/\b0x[0-9a-fA-F]+\b/g, '<HEX>'],
  // Long hex strings are ids whether or not they happen to contain a letter.
  [/\b[0-9a-fA-F]{16,}\b/g, '<ID>'],
  [/\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b/g, '<ID>'],
  [/\b\d+(?:\.\d+)?(ns|us|µs|ms|s|m|h|d|b|[kmgKMG]i?[bB])\b/g, '<N>$1'],
  // Mixed tokens such as pod-name suffixes (x2k9p) or request ids: at least two digits and a letter.
  [/\b(?=[A-Za-z0-9]*[A-Za-z])(?=(?:[A-Za-z]*\d){2})[A-Za-z0-9]{5,}\b/g, '<ID>'],
  [/\d+(?:\.\d+)?(?!xx)/g, '<N>'],
];

export function maskLine(line: string): string {
  let out = line;
  for (const pattern of STATUS) out = out.replace(pattern, '$1$2xx');
  for (const [pattern, replacement] of MASKS) out = out.replace(pattern, replacement);
  return out.replace(/\s+/g, ' ').trim();
}
