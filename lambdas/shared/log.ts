const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof LEVELS, "silent">;

/** LOG_LEVEL (default info) is read per call so tests and local mode can quiet it at run time. */
const isLevelName = (v: string | undefined): v is keyof typeof LEVELS => v !== undefined && v in LEVELS;

function enabled(level: Level): boolean {
  const configured = process.env["LOG_LEVEL"];
  const threshold = isLevelName(configured) ? LEVELS[configured] : LEVELS.info;
  return LEVELS[level] >= threshold;
}

/** One JSON line per event, so CloudWatch Logs Insights can filter by requestId and code. */
export function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  if (!enabled(level)) return;
  const line = JSON.stringify({ level, message, ...fields }, (_k, v: unknown) =>
    v instanceof Error ? { name: v.name, message: v.message, stack: v.stack, cause: v.cause } : v,
  );
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
