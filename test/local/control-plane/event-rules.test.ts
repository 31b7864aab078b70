import {
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { releaseUploadedPattern } from '../../../core/event-patterns.ts';
import { type LocalStack, rejection, startLocalStack } from './local-stack.ts';

const TARGET = 'arn:aws:lambda:us-east-1:000000000000:function:signet-start-deployment';
const PATTERN = releaseUploadedPattern('artifacts');

// The S3 user guide's "Object Created" example (ev-events.html), for the artifacts bucket.
function objectCreated(key: string): Record<string, unknown> {
  return {
    version: '0',
    id: '17793124-05d4-b198-2fde-7ededc63b103',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: '2021-11-12T00:00:00Z',
    region: 'ca-central-1',
    resources: ['arn:aws:s3:::artifacts'],
    detail: { version: '0', bucket: { name: 'artifacts' }, object: { key, size: 5 } },
  };
}

describe('EventBridge rules over the wire', () => {
  let stack: LocalStack;
  const delivered: string[] = [];
  beforeEach(async () => {
    stack = await startLocalStack({ instances: [] });
    delivered.length = 0;
    stack.services.eventBridge.addRule({
      name: 'signet-release-uploaded',
      pattern: PATTERN,
      description: 'uploads start deployments',
      targetArn: TARGET,
      target: async (event) => {
        delivered.push((event.detail as { object: { key: string } }).object.key);
      },
    });
  });
  afterEach(async () => {
    await stack.close();
  });

  const upload = async (key: string) => {
    await stack.services.eventBridge.publish({
      source: 'aws.s3',
      detailType: 'Object Created',
      detail: objectCreated(key)['detail'],
    });
    await stack.services.eventBridge.idle();
  };

  it('lists and describes the rules added in process, as EventBridge shows rules', async () => {
    // Prepare
    stack.services.eventBridge.addRule({
      name: 'alerts',
      pattern: { source: ['signet'] },
      target: async () => undefined,
    });

    // Act
    const listed = await stack.eventBridge.send(new ListRulesCommand({}));
    const described = await stack.eventBridge.send(
      new DescribeRuleCommand({ Name: 'signet-release-uploaded' }),
    );

    // Assess
    expect(listed.Rules?.map((rule) => rule.Name)).toEqual(['alerts', 'signet-release-uploaded']);
    expect(listed.NextToken).toBeUndefined();
    expect(described).toMatchObject({
      Name: 'signet-release-uploaded',
      Arn: 'arn:aws:events:us-east-1:123456789012:rule/signet-release-uploaded',
      State: 'ENABLED',
      Description: 'uploads start deployments',
      EventBusName: 'default',
      CreatedBy: '123456789012',
    });
    expect(JSON.parse(described.EventPattern ?? '')).toEqual(PATTERN);
  });

  it('filters by name prefix, pages by Limit, and keeps each bus’s rules apart', async () => {
    // Prepare
    for (const name of ['signet-a', 'signet-b', 'other']) {
      stack.services.eventBridge.addRule({
        name,
        pattern: { source: ['x'] },
        target: async () => undefined,
      });
    }
    stack.services.eventBridge.addRule({
      name: 'signet-on-bus',
      eventBusName: 'signet',
      pattern: { source: ['x'] },
      target: async () => undefined,
    });

    // Act
    const first = await stack.eventBridge.send(
      new ListRulesCommand({ NamePrefix: 'signet-', Limit: 2 }),
    );
    const second = await stack.eventBridge.send(
      new ListRulesCommand({ NamePrefix: 'signet-', Limit: 2, NextToken: first.NextToken }),
    );
    const onBus = await stack.eventBridge.send(new ListRulesCommand({ EventBusName: 'signet' }));

    // Assess
    expect(first.Rules?.map((rule) => rule.Name)).toEqual(['signet-a', 'signet-b']);
    expect(second.Rules?.map((rule) => rule.Name)).toEqual(['signet-release-uploaded']);
    expect(second.NextToken).toBeUndefined();
    expect(onBus.Rules?.map((rule) => rule.Arn)).toEqual([
      'arn:aws:events:us-east-1:123456789012:rule/signet/signet-on-bus',
    ]);
  });

  it('lists a rule’s target ARN, and none for a rule added without one', async () => {
    // Prepare
    stack.services.eventBridge.addRule({
      name: 'in-process-only',
      pattern: { source: ['x'] },
      target: async () => undefined,
    });

    // Act
    const withTarget = await stack.eventBridge.send(
      new ListTargetsByRuleCommand({ Rule: 'signet-release-uploaded' }),
    );
    const without = await stack.eventBridge.send(
      new ListTargetsByRuleCommand({ Rule: 'in-process-only' }),
    );

    // Assess
    expect(withTarget.Targets).toEqual([{ Id: 'Target0', Arn: TARGET }]);
    expect(without.Targets).toEqual([]);
  });

  it.each([
    ['DescribeRule', () => new DescribeRuleCommand({ Name: 'missing' })],
    ['ListTargetsByRule', () => new ListTargetsByRuleCommand({ Rule: 'missing' })],
    ['DisableRule', () => new DisableRuleCommand({ Name: 'missing' })],
  ])('%s of an unknown rule is ResourceNotFoundException', async (_label, command) => {
    // Act
    const error = await rejection(stack.eventBridge.send(command() as DescribeRuleCommand));

    // Assess
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('Rule missing does not exist on EventBus default.');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('refuses a rule name EventBridge would refuse', async () => {
    // Act
    const error = await rejection(
      stack.eventBridge.send(new DescribeRuleCommand({ Name: 'has space' })),
    );

    // Assess
    expect(error.name).toBe('ValidationException');
  });

  it('stops delivering to a disabled rule and delivers again once enabled', async () => {
    // Act
    await stack.eventBridge.send(new DisableRuleCommand({ Name: 'signet-release-uploaded' }));
    await upload('releases/web/web-1.0.0.tar.gz');
    const disabled = await stack.eventBridge.send(
      new DescribeRuleCommand({ Name: 'signet-release-uploaded' }),
    );
    await stack.eventBridge.send(new EnableRuleCommand({ Name: 'signet-release-uploaded' }));
    await upload('releases/web/web-1.1.0.tar.gz');

    // Assess
    expect(disabled.State).toBe('DISABLED');
    expect(delivered).toEqual(['releases/web/web-1.1.0.tar.gz']);
  });

  it('replaces a rule added again under the same name, as PutRule does', async () => {
    // Act
    stack.services.eventBridge.addRule({
      name: 'signet-release-uploaded',
      pattern: { source: ['nothing'] },
      target: async () => undefined,
    });
    const listed = await stack.eventBridge.send(new ListRulesCommand({}));
    await upload('releases/web/web-1.0.0.tar.gz');

    // Assess
    expect(listed.Rules?.map((rule) => rule.EventPattern)).toEqual(['{"source":["nothing"]}']);
    expect(delivered).toEqual([]);
  });
});

describe('EventBridge TestEventPattern', () => {
  let stack: LocalStack;
  beforeEach(async () => {
    stack = await startLocalStack({ instances: [] });
  });
  afterEach(async () => {
    await stack.close();
  });

  const test = (pattern: string, event: unknown) =>
    stack.eventBridge.send(
      new TestEventPatternCommand({ EventPattern: pattern, Event: JSON.stringify(event) }),
    );

  it.each([
    ['an artifact upload', 'releases/web/web-1.0.0.tar.gz', true],
    ['command output', 'command-output/web/x/stdout', false],
  ])('runs the rule matcher on the S3 sample event: %s -> %s', async (_label, key, expected) => {
    // Act
    const answer = await test(JSON.stringify(PATTERN), objectCreated(key));

    // Assess
    expect(answer.Result).toBe(expected);
  });

  it('accepts an event without resources, as EventBridge does', async () => {
    // Prepare
    const { resources: _resources, ...event } = objectCreated('releases/web/web-1.0.0.tar.gz');

    // Act
    const answer = await test(JSON.stringify(PATTERN), event);

    // Assess
    expect(answer.Result).toBe(true);
  });

  it.each([
    ['a pattern that is not JSON', '{source', 'InvalidEventPatternException'],
    ['a leaf that is not an array', '{"source":"aws.s3"}', 'InvalidEventPatternException'],
  ])('refuses %s', async (_label, pattern, code) => {
    // Act
    const error = await rejection(test(pattern, objectCreated('releases/web/web-1.0.0.tar.gz')));

    // Assess
    expect(error.name).toBe(code);
    expect(error.message).toMatch(/^Event pattern is not valid. Reason: /);
  });

  it.each(['id', 'account', 'source', 'time', 'region', 'detail-type'])(
    'refuses an event without %s: "Parameter Event is not valid."',
    async (field) => {
      // Prepare
      const event = objectCreated('releases/web/web-1.0.0.tar.gz');
      delete event[field];

      // Act
      const error = await rejection(test(JSON.stringify(PATTERN), event));

      // Assess
      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe('Parameter Event is not valid.');
    },
  );
});
