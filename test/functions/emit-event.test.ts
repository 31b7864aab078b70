import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { decideOutcome } from '../../core/outcome.ts';
import { emitEvent } from '../../functions/emit-event/handler.ts';
import { testTools } from '../helpers/handler-tools.ts';

describe('emit-event', () => {
  const events = mockClient(EventBridgeClient);
  const handler = emitEvent({
    eventBridge: () => new EventBridgeClient({ region: 'us-east-1' }),
    eventBusName: () => 'default',
  });
  const failed = decideOutcome({
    request: {
      app: 'web',
      version: '1.2.0',
      bucket: 'b',
      key: 'k',
      versionId: null,
      etag: null,
      intent: 'release',
      requestedBy: null,
      source: 'manual',
      expectedSha256: null,
      signature: null,
    },
    failure: { Error: 'SignatureInvalid' },
  });

  beforeEach(() => events.reset());

  it('puts one event from source signet whose detail type says what happened', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const result = await handler({ outcome: failed, execution: 'arn:exec' }, testTools());
    const entry = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({
      Source: 'signet',
      DetailType: 'Signet Release Refused',
      EventBusName: 'default',
      Resources: ['arn:exec'],
    });
    expect(JSON.parse(entry?.Detail ?? '')).toMatchObject({
      app: 'web',
      outcome: 'Refused',
      error: 'SignatureInvalid',
    });
    expect(result).toEqual({ eventId: 'e-1', alert: true });
  });

  it('fails when EventBridge refuses the entry, so the alert is never silently lost', async () => {
    events.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'x' }],
    });
    await expect(handler({ outcome: failed, execution: 'arn:exec' }, testTools())).rejects.toThrow(
      /InternalFailure/,
    );
  });
});
