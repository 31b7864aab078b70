/**
 * One-line JSON logs with a fixed key set, so CloudWatch Logs Insights queries and tests can
 * rely on every line having the same fields. Levels are numbers (pino's scale) so a query can
 * say `level >= 40` instead of listing names.
 */

export const LogLevel = { debug: 20, info: 30, warn: 40, error: 50 } as const;
export type LogLevelName = keyof typeof LogLevel;

/** Every log line has exactly these keys; unknown values are null, never missing. */
export interface LogLine {
  readonly time: string;
  readonly level: number;
  readonly service: 'signet';
  readonly handler: string | null;
  readonly requestId: string | null;
  readonly execution: string | null;
  readonly app: string | null;
  readonly message: string;
  readonly data: Readonly<Record<string, unknown>> | null;
  readonly error: { name: string; message: string; details?: unknown } | null;
}

export type LogSink = (line: string) => void;

let sink: LogSink = (line) => process.stdout.write(`${line}\n`);
let minimumLevel: number =
  LogLevel[(process.env['SIGNET_LOG_LEVEL'] as LogLevelName) ?? 'info'] ?? 30;

/** Sends every log line elsewhere (local mode writes them to a file). Returns the old sink. */
export function setLogSink(next: LogSink): LogSink {
  const previous = sink;
  sink = next;
  return previous;
}

export function setLogLevel(level: LogLevelName): void {
  minimumLevel = LogLevel[level];
}

export interface LogContext {
  handler?: string | null;
  requestId?: string | null;
  execution?: string | null;
  app?: string | null;
}

/** A logger bound to one invocation's context; `with` adds to it for a narrower scope. */
export class Logger {
  readonly #context: Required<LogContext>;

  constructor(context: LogContext = {}) {
    this.#context = {
      handler: context.handler ?? null,
      requestId: context.requestId ?? null,
      execution: context.execution ?? null,
      app: context.app ?? null,
    };
  }

  with(context: LogContext): Logger {
    return new Logger({ ...this.#context, ...context });
  }

  debug(message: string, data?: Record<string, unknown>): void {
    this.#write(LogLevel.debug, message, data);
  }

  info(message: string, data?: Record<string, unknown>): void {
    this.#write(LogLevel.info, message, data);
  }

  warn(message: string, data?: Record<string, unknown>, error?: unknown): void {
    this.#write(LogLevel.warn, message, data, error);
  }

  error(message: string, data?: Record<string, unknown>, error?: unknown): void {
    this.#write(LogLevel.error, message, data, error);
  }

  #write(level: number, message: string, data?: Record<string, unknown>, error?: unknown): void {
    if (level < minimumLevel) return;
    const line: LogLine = {
      time: new Date().toISOString(),
      level,
      service: 'signet',
      ...this.#context,
      message,
      data: data ?? null,
      error: error === undefined ? null : describeError(error),
    };
    sink(JSON.stringify(line));
  }
}

function describeError(error: unknown): LogLine['error'] {
  if (error instanceof Error) {
    const details = (error as { details?: unknown }).details;
    return details === undefined
      ? { name: error.name, message: error.message }
      : { name: error.name, message: error.message, details };
  }
  return { name: 'NonError', message: String(error) };
}
