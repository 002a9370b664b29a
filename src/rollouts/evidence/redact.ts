/**
 * Redaction applied to every log line before it is stored, folded, sent to an LLM or put in an issue:
 * private keys, JWTs, bearer/basic credentials, well-known token formats, key=value secrets, URL
 * credentials, emails, IPv4 and IPv6 addresses.
 */
const SECRET_KEYS =
  'password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|client[_-]?secret|private[_-]?key|authorization|cookie|session[_-]?id|credentials?';

const RULES: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[REDACTED_KEY]'],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, '[REDACTED_JWT]'],
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [REDACTED]'],
  [/\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35})\b/g, '[REDACTED_TOKEN]'],
  // "password": "x", password=x, token: x — JSON and key=value forms.
  [new RegExp(`(["']?\\b(?:${SECRET_KEYS})\\b["']?\\s*[:=]\\s*)("[^"]*"|'[^']*'|[^\\s,;&}]+)`, 'gi'), '$1[REDACTED]'],
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s:@/]+:[^\s@/]+@/gi, '$1[REDACTED]@'],
  [/\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g, '[EMAIL]'],
  [/\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b/g, '[IP]'],
  [/(?<![\w:])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\w:])/g, '[IP]'],
  [/(?<![\w:])(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6})?::(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6})?(?![\w:])/g, '[IP]'],
];

/** Longest line kept; longer lines are cut before any pattern runs (bounded regex work). */
export const MAX_LINE = 2000;

export function redact(line: string): string {
  let out = line.length > MAX_LINE ? line.slice(0, MAX_LINE) + '…' : line;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}
