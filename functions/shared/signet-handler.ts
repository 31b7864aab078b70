import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { SignetError } from '../../core/errors.ts';
import { Logger } from '../../core/logger.ts';

/** What every Signet handler receives besides its event: a logger bound to the invocation. */
export interface HandlerTools {
  readonly logger: Logger;
  readonly context: Context;
}

export type PlainHandler<TEvent, TResult> = (
  event: TEvent,
  tools: HandlerTools,
) => Promise<TResult>;

/**
 * Wraps a plain handler for Lambda: one-line JSON logs carrying the handler, request and
 * execution, a log line for every failure (warn for the user's faults, error for ours), and
 * errors rethrown unchanged, because Step Functions matches Retry and Catch on their names.
 */
export function signetHandler<TEvent, TResult>(name: string, plain: PlainHandler<TEvent, TResult>) {
  return middy<TEvent, TResult>(async (event: TEvent, context: Context) => {
    const logger = new Logger({
      handler: name,
      requestId: context.awsRequestId ?? null,
      execution: executionOf(event),
      app: appOf(event),
    });
    logger.debug('invoked');
    try {
      return await plain(event, { logger, context });
    } catch (error) {
      // The user's faults and conditions a retry resolves (a held lock, throttling) are
      // warnings; an error-level line means something in Signet or AWS needs a look.
      const expected = error instanceof SignetError && (error.fault === 'user' || error.retryable);
      const log = expected ? logger.warn.bind(logger) : logger.error.bind(logger);
      log('failed', { retryable: error instanceof SignetError ? error.retryable : null }, error);
      throw error;
    }
  });
}

function executionOf(event: unknown): string | null {
  const value = (event as { execution?: unknown } | null)?.execution;
  return typeof value === 'string' ? value : null;
}

function appOf(event: unknown): string | null {
  const value = (event as { app?: unknown } | null)?.app;
  return typeof value === 'string' ? value : null;
}
