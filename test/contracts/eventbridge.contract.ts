import { PutEventsCommand, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { expect } from 'vitest';
import { releaseUploadedPattern } from '../../core/event-patterns.ts';
import { type Contract, type ContractWorld, contractCase, thrown } from './contract.ts';
import { recordedError } from './recorded-answers.ts';

// Sources: EventBridge API Reference, PutEvents (1-10 entries; per-entry EventId or ErrorCode)
// and TestEventPattern; user guide, "Sending events with PutEvents", "Event patterns"; S3 user
// guide, the "Object Created" example event (ev-events).

// moto/events/responses.py `test_event_pattern` is `pass`: an empty answer, no Result.
const MOTO_NO_TEST_EVENT_PATTERN = 'moto 5.2 TestEventPattern is a stub answering an empty body';

const objectCreated = (bucket: string, key: string) => ({
  version: '0',
  id: '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '123456789012',
  time: '2021-11-12T00:00:00Z',
  region: 'us-east-1',
  resources: [`arn:aws:s3:::${bucket}`],
  detail: {
    version: '0',
    bucket: { name: bucket },
    object: {
      key,
      size: 5,
      etag: 'b1946ac92492d2347c6235b4d2611184',
      sequencer: '00617F08299329D189',
    },
    'request-id': 'N4N7GDK58NMKJ12R',
    requester: '123456789012',
    'source-ip-address': '1.2.3.4',
    reason: 'PutObject',
  },
});

const testPattern = (world: ContractWorld, key: string) =>
  world.clients.eventBridge.send(
    new TestEventPatternCommand({
      EventPattern: JSON.stringify(releaseUploadedPattern(world.bucket)),
      Event: JSON.stringify(objectCreated(world.bucket, key)),
    }),
  );

const signetEntry = {
  Source: 'signet',
  DetailType: 'Signet Deployment Succeeded',
  Detail: JSON.stringify({ app: 'web', version: '1.0.0', outcome: 'Succeeded' }),
};

export const eventBridgeContract: Contract = {
  api: 'EventBridge',
  operations: ['PutEvents', 'TestEventPattern'],
  cases: [
    contractCase({
      name: "accepts Signet's outcome event and gives it an EventId",
      recorded: (stubs) => {
        stubs.eventBridge.on(PutEventsCommand).resolves({
          FailedEntryCount: 0,
          Entries: [{ EventId: '11710aed-b79e-4468-a20b-bb3c0c3b4860' }],
        });
      },
      act: (world) =>
        world.clients.eventBridge.send(new PutEventsCommand({ Entries: [signetEntry] })),
      assess: (answer) => {
        expect(answer.FailedEntryCount).toBe(0);
        expect(answer.Entries?.[0]?.EventId).toEqual(expect.any(String));
      },
    }),
    contractCase({
      name: 'refuses an entry with a reserved aws. source, accepting the others',
      divergent: { moto: 'moto 5.2 PutEvents accepts any Source, aws.* included' },
      recorded: (stubs) => {
        stubs.eventBridge.on(PutEventsCommand).resolves({
          FailedEntryCount: 1,
          Entries: [
            { EventId: '11710aed-b79e-4468-a20b-bb3c0c3b4860' },
            {
              ErrorCode: 'NotAuthorizedForSourceException',
              ErrorMessage: 'Not authorized for the source.',
            },
          ],
        });
      },
      act: (world) =>
        world.clients.eventBridge.send(
          new PutEventsCommand({ Entries: [signetEntry, { ...signetEntry, Source: 'aws.s3' }] }),
        ),
      assess: (answer) => {
        expect(answer.FailedEntryCount).toBe(1);
        expect(answer.Entries?.[0]?.EventId).toEqual(expect.any(String));
        expect(answer.Entries?.[1]?.ErrorCode).toBe('NotAuthorizedForSourceException');
      },
    }),
    contractCase({
      name: 'refuses more than 10 entries in one PutEvents (ValidationException)',
      recorded: (stubs) => {
        stubs.eventBridge
          .on(PutEventsCommand)
          .rejects(
            recordedError(
              'ValidationException',
              "1 validation error detected: Value '[...]' at 'entries' failed to satisfy " +
                'constraint: Member must have length less than or equal to 10',
            ),
          );
      },
      act: (world) =>
        thrown(() =>
          world.clients.eventBridge.send(
            new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => signetEntry) }),
          ),
        ),
      assess: (error) => {
        expect(error.name).toBe('ValidationException');
      },
    }),
    contractCase({
      name: 'matches the release rule to an S3 upload under releases/ and nothing else',
      unsupported: { moto: MOTO_NO_TEST_EVENT_PATTERN },
      recorded: (stubs) => {
        stubs.eventBridge
          .on(TestEventPatternCommand)
          .resolvesOnce({ Result: true })
          .resolvesOnce({ Result: false });
      },
      act: async (world) => [
        (await testPattern(world, 'releases/web/web-1.0.0.tar.gz')).Result,
        (await testPattern(world, 'command-output/abc/stdout')).Result,
      ],
      assess: (results) => {
        expect(results).toEqual([true, false]);
      },
    }),
    contractCase({
      name: 'refuses a pattern that is not valid (InvalidEventPatternException)',
      unsupported: { moto: MOTO_NO_TEST_EVENT_PATTERN },
      recorded: (stubs) => {
        stubs.eventBridge
          .on(TestEventPatternCommand)
          .rejects(
            recordedError(
              'InvalidEventPatternException',
              'Event pattern is not valid. Reason: ...',
            ),
          );
      },
      act: (world) =>
        thrown(() =>
          world.clients.eventBridge.send(
            new TestEventPatternCommand({
              EventPattern: JSON.stringify({ source: 'aws.s3' }),
              Event: JSON.stringify(objectCreated(world.bucket, 'releases/x')),
            }),
          ),
        ),
      assess: (error) => {
        expect(error.name).toBe('InvalidEventPatternException');
      },
    }),
  ],
};
