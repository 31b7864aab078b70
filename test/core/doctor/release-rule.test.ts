import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkReleaseRule } from '../../../core/doctor/release-rule.ts';
import { releaseUploadedPattern } from '../../../core/event-patterns.ts';
import { matchesEventPattern } from '../../../local/control-plane/event-pattern.ts';
import { awsError } from '../../helpers/aws-error.ts';

const RULE = 'Signet-release-uploaded';
const BUCKET = 'signet-artifacts';
const NAMES = { ruleName: RULE, bucket: BUCKET, app: 'web' };
const RULE_ARN = `arn:aws:events:eu-west-1:123456789012:rule/${RULE}`;
const START_DEPLOYMENT =
  'arn:aws:lambda:eu-west-1:123456789012:function:Signet-SignetFunctionsStartDeployment1A2B-xyz';

describe('the release rule check', () => {
  const events = mockClient(EventBridgeClient);
  const client = new EventBridgeClient({ region: 'eu-west-1' });

  /** A rule as the stack makes it; TestEventPattern answered by the local matcher. */
  function stubRule(overrides: { state?: string; pattern?: unknown; targets?: string[] } = {}) {
    const pattern = overrides.pattern ?? releaseUploadedPattern(BUCKET);
    events.on(DescribeRuleCommand).resolves({
      Name: RULE,
      Arn: RULE_ARN,
      State: (overrides.state ?? 'ENABLED') as 'ENABLED',
      EventPattern: JSON.stringify(pattern),
    });
    events.on(ListTargetsByRuleCommand).resolves({
      Targets: (overrides.targets ?? [START_DEPLOYMENT]).map((Arn, n) => ({ Id: `T${n}`, Arn })),
    });
    events
      .on(TestEventPatternCommand)
      .callsFake((input: { EventPattern: string; Event: string }) => ({
        Result: matchesEventPattern(JSON.parse(input.EventPattern), JSON.parse(input.Event)),
      }));
  }

  beforeEach(() => events.reset());

  it('passes for the stack’s rule, testing an upload and a key outside releases/', async () => {
    // Prepare
    stubRule();

    // Act
    const results = await checkReleaseRule(client, NAMES);

    // Assess
    expect(results).toEqual([
      { check: 'release-rule', target: RULE, ok: true },
      { check: 'release-rule-target', target: RULE, ok: true },
      { check: 'release-rule-pattern', target: RULE, ok: true },
    ]);
    const tested = events
      .commandCalls(TestEventPatternCommand)
      .map((call) => JSON.parse(call.args[0].input.Event ?? '{}'));
    expect(tested.map((event) => event.detail.object.key)).toEqual([
      'releases/web/web-1.0.0.tar.gz',
      'command-output/web/web-1.0.0.tar.gz',
    ]);
    expect(tested[0]).toMatchObject({
      account: '123456789012',
      region: 'eu-west-1',
      source: 'aws.s3',
      'detail-type': 'Object Created',
      detail: { bucket: { name: BUCKET } },
    });
  });

  it('fails for a rule that does not exist, naming the setting and the stack output', async () => {
    // Prepare
    events
      .on(DescribeRuleCommand)
      .rejects(
        awsError('ResourceNotFoundException', `Rule ${RULE} does not exist on EventBus default.`),
      );

    // Act
    const results = await checkReleaseRule(client, NAMES);

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ check: 'release-rule', ok: false });
    expect(results[0]?.problem).toContain(`EventBridge rule ${RULE} does not exist`);
    expect(results[0]?.fix).toContain('SIGNET_RELEASE_RULE_NAME');
    expect(results[0]?.fix).toContain('SignetReleaseRuleName');
  });

  it('fails for a disabled rule, with the command that enables it', async () => {
    // Prepare
    stubRule({ state: 'DISABLED' });

    // Act
    const [state] = await checkReleaseRule(client, NAMES);

    // Assess
    expect(state).toMatchObject({ check: 'release-rule', ok: false });
    expect(state?.problem).toBe(
      `EventBridge rule ${RULE} is DISABLED, so uploads start no deployment`,
    );
    expect(state?.fix).toBe(`aws events enable-rule --name ${RULE}`);
  });

  it.each([
    ['no targets', [], 'has no targets'],
    ['a queue only', ['arn:aws:sqs:eu-west-1:123456789012:q'], 'targets only arn:aws:sqs'],
  ])('fails for a rule with %s', async (_label, targets, words) => {
    // Prepare
    stubRule({ targets });

    // Act
    const results = await checkReleaseRule(client, NAMES);

    // Assess
    const target = results.find((result) => result.check === 'release-rule-target');
    expect(target?.ok).toBe(false);
    expect(target?.problem).toContain(words);
    expect(target?.fix).toContain('npx cdk deploy');
  });

  it('warns when the rule targets a function whose name is not start-deployment', async () => {
    // Prepare
    stubRule({ targets: ['arn:aws:lambda:eu-west-1:123456789012:function:something-else'] });

    // Act
    const results = await checkReleaseRule(client, NAMES);

    // Assess
    const target = results.find((result) => result.check === 'release-rule-target');
    expect(target).toMatchObject({ ok: true, warning: true });
    expect(target?.problem).toContain('function:something-else');
  });

  it.each([
    [
      'a pattern for another bucket',
      releaseUploadedPattern('another-bucket'),
      ['does not match an upload of releases/web/web-1.0.0.tar.gz'],
    ],
    [
      'a pattern without the releases/ prefix',
      { source: ['aws.s3'], 'detail-type': ['Object Created'] },
      ['matches an upload of command-output/web/web-1.0.0.tar.gz, outside releases/'],
    ],
    [
      'a pattern for deletions',
      { ...releaseUploadedPattern(BUCKET), 'detail-type': ['Object Deleted'] },
      ['does not match an upload of releases/web/web-1.0.0.tar.gz'],
    ],
  ])('fails for %s, one line per wrong answer', async (_label, pattern, problems) => {
    // Prepare
    stubRule({ pattern });

    // Act
    const results = await checkReleaseRule(client, NAMES);

    // Assess
    const failures = results.filter((r) => r.check === 'release-rule-pattern');
    expect(failures.map((r) => r.ok)).toEqual(problems.map(() => false));
    for (const [n, failure] of failures.entries()) expect(failure.problem).toContain(problems[n]);
    expect(failures[0]?.fix).toContain(`releaseUploadedPattern("${BUCKET}")`);
  });

  it('fails when EventBridge says the pattern is invalid', async () => {
    // Prepare
    stubRule();
    events
      .on(TestEventPatternCommand)
      .rejects(awsError('InvalidEventPatternException', 'Event pattern is not valid. Reason: x'));

    // Act
    const results = await checkReleaseRule(client, NAMES);

    // Assess
    const pattern = results.find((result) => result.check === 'release-rule-pattern');
    expect(pattern?.ok).toBe(false);
    expect(pattern?.problem).toBe(`rule ${RULE}: Event pattern is not valid. Reason: x`);
  });

  it('reports a denied TestEventPattern as the pattern check failing, not the rule', async () => {
    // Prepare
    stubRule();
    events.on(TestEventPatternCommand).rejects(awsError('AccessDeniedException', 'no', 403));

    // Act
    const results = await checkReleaseRule(client, NAMES);

    // Assess
    expect(results.map((r) => [r.check, r.ok])).toEqual([
      ['release-rule', true],
      ['release-rule-target', true],
      ['release-rule-pattern', false],
    ]);
    expect(results[2]?.fix).toContain('events:TestEventPattern');
  });
});
