import type { Context } from 'aws-lambda';
import { Logger, type LogLine, setLogSink } from '../../core/logger.ts';
import type { HandlerTools } from '../../functions/shared/signet-handler.ts';

/** Handler tools for tests, with the log lines captured and parsed for assertions. */
export function testTools(handler = 'test'): HandlerTools & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  setLogSink((line) => lines.push(JSON.parse(line) as LogLine));
  const context = {
    awsRequestId: 'request-1',
    functionName: handler,
    getRemainingTimeInMillis: () => 60_000,
  } as unknown as Context;
  return { logger: new Logger({ handler, requestId: 'request-1' }), context, lines };
}
