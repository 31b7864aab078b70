import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ArtifactReadIncomplete,
  InstallFailed,
  SignatureInvalid,
  VersionNotNewer,
} from '../../core/errors.ts';
import { Logger, type LogLine, setLogLevel, setLogSink } from '../../core/logger.ts';
import { type HandlerTools, signetHandler } from '../../functions/shared/signet-handler.ts';

const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:signet-deploy:one';
const LOG_KEYS = [
  'app',
  'data',
  'error',
  'execution',
  'handler',
  'level',
  'message',
  'requestId',
  'service',
  'time',
];

const context = {
  awsRequestId: 'request-7',
  functionName: 'signet-verify-artifact',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

const awsError = (name: string) => Object.assign(new Error(`${name} from AWS`), { name });

describe('signetHandler', () => {
  let raw: string[];
  let restoreSink: (line: string) => void;
  const lines = () => raw.map((line) => JSON.parse(line) as LogLine);

  beforeEach(() => {
    raw = [];
    restoreSink = setLogSink((line) => raw.push(line));
    setLogLevel('info');
  });
  afterEach(() => {
    setLogSink(restoreSink);
  });

  it('passes the event, the context and a logger bound to the invocation', async () => {
    // Prepare
    const event = { app: 'web', execution: EXECUTION, extra: [1, 2] };
    const seen: { event: unknown; tools: HandlerTools }[] = [];
    const wrapped = signetHandler('verify-artifact', async (received: typeof event, tools) => {
      seen.push({ event: received, tools });
      tools.logger.info('working', { step: 1 });
      return { done: true };
    });

    // Act
    const result = await wrapped(event, context);

    // Assess
    expect(result).toEqual({ done: true });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.event).toBe(event);
    expect(seen[0]?.tools.context).toBe(context);
    expect(seen[0]?.tools.logger).toBeInstanceOf(Logger);
    expect(lines()).toEqual([
      {
        time: expect.any(String),
        level: 30,
        service: 'signet',
        handler: 'verify-artifact',
        requestId: 'request-7',
        execution: EXECUTION,
        app: 'web',
        message: 'working',
        data: { step: 1 },
        error: null,
      },
    ]);
  });

  it.each([
    { label: 'a user fault (SignatureInvalid)', error: new SignatureInvalid('bad'), level: 40 },
    { label: 'a user fault (VersionNotNewer)', error: new VersionNotNewer('old'), level: 40 },
    { label: 'a system fault (InstallFailed)', error: new InstallFailed('hook'), level: 50 },
    {
      label: 'a retryable system fault (ArtifactReadIncomplete)',
      error: new ArtifactReadIncomplete('short'),
      level: 40,
    },
    { label: 'an AWS SDK error (AccessDenied)', error: awsError('AccessDenied'), level: 50 },
    { label: 'a plain TypeError', error: new TypeError('x is undefined'), level: 50 },
  ])('rethrows $label unchanged and logs it once at level $level', async ({ error, level }) => {
    // Prepare
    const name = error.name;
    const wrapped = signetHandler('check-command', async () => {
      throw error;
    });

    // Act
    const result = wrapped({ app: 'web', execution: EXECUTION }, context);

    // Assess
    await expect(result).rejects.toBe(error);
    expect(error.name).toBe(name);
    expect(raw).toHaveLength(1);
    expect(raw[0]).not.toContain('\n');
    const [line] = lines();
    expect(Object.keys(line ?? {}).sort()).toEqual(LOG_KEYS);
    expect(line).toMatchObject({
      level,
      handler: 'check-command',
      requestId: 'request-7',
      execution: EXECUTION,
      app: 'web',
      message: 'failed',
      error: { name, message: error.message },
    });
  });

  it('tells in the failure line whether a retry can help', async () => {
    // Prepare
    const retryable = signetHandler('verify-artifact', async () => {
      throw new ArtifactReadIncomplete('short');
    });
    const final = signetHandler('verify-artifact', async () => {
      throw new SignatureInvalid('bad');
    });
    const foreign = signetHandler('verify-artifact', async () => {
      throw awsError('AccessDenied');
    });

    // Act
    await Promise.allSettled([retryable({}, context), final({}, context), foreign({}, context)]);

    // Assess
    expect(lines().map((line) => line.data)).toEqual([
      { retryable: true },
      { retryable: false },
      { retryable: null },
    ]);
  });

  it('keeps a Signet error’s details in the failure line', async () => {
    // Prepare
    const error = new VersionNotNewer('web 1.0.0 is not newer', {
      details: { app: 'web', version: '1.0.0', current: '1.1.0' },
    });
    const wrapped = signetHandler('verify-artifact', async () => {
      throw error;
    });

    // Act
    await expect(wrapped({}, context)).rejects.toBe(error);

    // Assess
    expect(lines()[0]?.error).toEqual({
      name: 'VersionNotNewer',
      message: 'web 1.0.0 is not newer',
      details: { app: 'web', version: '1.0.0', current: '1.1.0' },
    });
  });

  it.each([
    { label: 'an event without execution or app', event: { other: 1 } },
    { label: 'an event whose app is not a string', event: { app: 7, execution: ['x'] } },
    { label: 'a null event', event: null },
  ])('logs null execution and app for $label', async ({ event }) => {
    // Prepare
    const wrapped = signetHandler('emit-event', async (_event: unknown, { logger }) => {
      logger.info('ran');
    });

    // Act
    await wrapped(event, context);

    // Assess
    expect(lines()).toEqual([
      expect.objectContaining({ handler: 'emit-event', execution: null, app: null }),
    ]);
  });
});
