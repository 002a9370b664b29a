/** Severity of one (redacted) log line. Continuation lines of stack traces are `trace`, not errors. */
import type { LineKind } from './types.js';

const PANIC =
  /\bpanic(?::|\(|ked\b| serving\b)|\bfatal error:|\bSIGSEGV\b|\bsegmentation fault\b|\bOOMKilled\b|\bOutOfMemoryError\b|\b(?:unhandled|uncaught) ?(?:exception|rejection|error)\b|\bcore dumped\b|"level":\s*"(?:fatal|panic)"|\blevel=(?:fatal|panic)\b|^\s*(?:FATAL|PANIC|CRITICAL)\b/i;
const EXCEPTION = /\b[A-Z][A-Za-z0-9_.]*(?:Exception|Error)\b(?::|\s*$)|^Traceback \(most recent call last\)|\bexception\b/;
const HTTP_5XX = /((?:status|code|status_code|statusCode)["']?\s*[:=]\s*["']?5\d\d\b)|(HTTP\/\d(?:\.\d)?"?\s+5\d\d\b)|((?:^|\s)5\d\d\s+-\s)/i;
const ERROR_UPPER = /\b(?:ERROR|ERR|SEVERE|ALERT|EMERG)\b|^E\d{4} /;
const ERROR =
  /"level":\s*"(?:error|err)"|\blevel=(?:error|err)\b|\bseverity=error\b|\b(?:error|failed|failure)\b(?!s?[=:]\s*(?:0|null|nil|none|false)\b)/i;
const WARN = /\b(?:WARN|WARNING)\b|"level":\s*"warn(?:ing)?"|\blevel=warn(?:ing)?\b|^W\d{4} /i;
const CONTINUATION = /^(?:\s+\S|goroutine \d+ \[|Caused by:|\s*at [\w$.<>]+\(|\s*\.\.\. \d+ more|created by |main\.[\w.]+\()/;

export function classify(line: string, previous: LineKind | undefined): LineKind {
  const inTrace = previous === 'panic' || previous === 'exception' || previous === 'trace';
  if (inTrace && CONTINUATION.test(line)) return 'trace';
  if (PANIC.test(line)) return 'panic';
  if (EXCEPTION.test(line)) return 'exception';
  if (HTTP_5XX.test(line) || ERROR_UPPER.test(line) || ERROR.test(line)) return 'error';
  if (WARN.test(line)) return 'warn';
  return 'info';
}

const RANK: Record<LineKind, number> = { trace: 0, info: 1, warn: 2, error: 3, exception: 4, panic: 5 };

export function worse(a: LineKind, b: LineKind): LineKind {
  return RANK[a] >= RANK[b] ? a : b;
}

export function isErrorKind(kind: LineKind): boolean {
  return kind === 'error' || kind === 'exception' || kind === 'panic';
}
