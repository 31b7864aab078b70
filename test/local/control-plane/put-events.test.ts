import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventBridgeEvent } from '../../../local/control-plane/eventbridge/event-bus.ts';
import { type LocalStack, rejection, startLocalStack } from './local-stack.ts';

const readEvents = async (stateDir: string): Promise<EventBridgeEvent[]> =>
  (await readFile(join(stateDir, 'events.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as EventBridgeEvent);

describe('EventBridge PutEvents', () => {
  let stack: LocalStack;
  beforeEach(async () => {
    stack = await startLocalStack({ instances: [] });
  });
  afterEach(async () => {
    await stack.close();
  });

  it('records each event as a full EventBridge envelope in events.jsonl', async () => {
    // Act
    const result = await stack.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'signet',
            DetailType: 'Deployment Succeeded',
            Detail: JSON.stringify({ app: 'web', version: '1.4.0' }),
            Resources: ['arn:aws:states:us-east-1:123456789012:execution:signet:x'],
            Time: new Date('2024-05-01T10:20:30.456Z'),
          },
        ],
      }),
    );
    const [event] = await readEvents(stack.stateDir);

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(event).toEqual({
      version: '0',
      id: result.Entries?.[0]?.EventId,
      'detail-type': 'Deployment Succeeded',
      source: 'signet',
      account: '123456789012',
      time: '2024-05-01T10:20:30Z',
      region: 'us-east-1',
      resources: ['arn:aws:states:us-east-1:123456789012:execution:signet:x'],
      detail: { app: 'web', version: '1.4.0' },
    });
  });

  it.each([
    {
      label: 'no Source',
      entry: { DetailType: 't', Detail: '{}' },
      code: 'InvalidArgument',
      message: 'Parameter Source is not valid. Reason: Source is a required argument.',
    },
    {
      label: 'no DetailType',
      entry: { Source: 's', Detail: '{}' },
      code: 'InvalidArgument',
      message: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
    },
    {
      label: 'no Detail',
      entry: { Source: 's', DetailType: 't' },
      code: 'InvalidArgument',
      message: 'Parameter Detail is not valid. Reason: Detail is a required argument.',
    },
    {
      label: 'a Detail that is not JSON',
      entry: { Source: 's', DetailType: 't', Detail: '{nope' },
      code: 'MalformedDetail',
      message: 'Detail is malformed.',
    },
    {
      label: 'a Detail that is a JSON array',
      entry: { Source: 's', DetailType: 't', Detail: '[1]' },
      code: 'MalformedDetail',
      message: 'Detail is malformed.',
    },
    {
      label: 'a reserved aws. source',
      entry: { Source: 'aws.s3', DetailType: 't', Detail: '{}' },
      code: 'NotAuthorizedForSourceException',
      message: 'Not authorized for the source.',
    },
  ])('fails only the entry with $label', async ({ entry, code, message }) => {
    // Act
    const result = await stack.eventBridge.send(
      new PutEventsCommand({
        Entries: [entry, { Source: 'ok', DetailType: 'Fine', Detail: '{}' }],
      }),
    );
    const recorded = await readEvents(stack.stateDir);

    // Assess
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]).toEqual({ ErrorCode: code, ErrorMessage: message });
    expect(result.Entries?.[1]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(recorded.map((event) => event.source)).toEqual(['ok']);
  });

  it.each([
    {
      label: 'more than 10 entries',
      entries: Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 't', Detail: '{}' })),
    },
    {
      label: 'more than 256 KB',
      entries: [
        { Source: 's', DetailType: 't', Detail: JSON.stringify({ x: 'y'.repeat(262_144) }) },
      ],
    },
  ])('refuses a request with $label as a whole', async ({ entries }) => {
    // Act
    const error = await rejection(
      stack.eventBridge.send(new PutEventsCommand({ Entries: entries })),
    );

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('hands matching events to a rule target and skips the others', async () => {
    // Prepare
    const delivered: EventBridgeEvent[] = [];
    stack.services.eventBridge.addRule({
      name: 'artifact-uploaded',
      pattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: ['artifacts'] }, object: { key: [{ suffix: '.tar.gz' }] } },
      },
      target: async (event) => {
        delivered.push(event);
      },
    });

    // Act
    await stack.services.eventBridge.publish({
      source: 'aws.s3',
      detailType: 'Object Created',
      detail: { bucket: { name: 'artifacts' }, object: { key: 'web/1.4.0/web.tar.gz' } },
      resources: ['arn:aws:s3:::artifacts'],
    });
    await stack.services.eventBridge.publish({
      source: 'aws.s3',
      detailType: 'Object Created',
      detail: { bucket: { name: 'artifacts' }, object: { key: 'web/1.4.0/web.tar.gz.sig' } },
    });
    await stack.services.eventBridge.idle();

    // Assess
    expect(
      delivered.map((event) => (event.detail as { object: { key: string } }).object.key),
    ).toEqual(['web/1.4.0/web.tar.gz']);
    expect((await readEvents(stack.stateDir)).length).toBe(2);
  });

  it('refuses a rule whose pattern is invalid', () => {
    // Act
    const adding = () =>
      stack.services.eventBridge.addRule({
        name: 'broken',
        pattern: { source: 'aws.s3' },
        target: async () => undefined,
      });

    // Assess
    expect(adding).toThrow(expect.objectContaining({ code: 'InvalidEventPatternException' }));
  });

  it('delivers PutEvents entries to rules on their bus only', async () => {
    // Prepare
    const seen: string[] = [];
    stack.services.eventBridge.addRule({
      name: 'on-signet-bus',
      eventBusName: 'signet',
      pattern: { source: ['signet'] },
      target: async (event) => {
        seen.push(event['detail-type']);
      },
    });

    // Act
    await stack.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'signet', DetailType: 'On default', Detail: '{}' },
          { Source: 'signet', DetailType: 'On signet', Detail: '{}', EventBusName: 'signet' },
          {
            Source: 'signet',
            DetailType: 'By ARN',
            Detail: '{}',
            EventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/signet',
          },
        ],
      }),
    );
    await stack.services.eventBridge.idle();

    // Assess
    expect(seen).toEqual(['On signet', 'By ARN']);
  });
});
