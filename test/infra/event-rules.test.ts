import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../core/deployment-events.ts';
import {
  executionFailedPattern,
  executionStoppedPattern,
  releaseUploadedPattern,
  signetAlertPattern,
} from '../../core/event-patterns.ts';
import {
  compileEventPattern,
  matchesEventPattern,
} from '../../local/control-plane/event-pattern.ts';
import {
  logicalIdAt,
  resolveIntrinsics,
  resourcesOfType,
  type SynthesizedSignet,
  synthesizeSignet,
} from '../helpers/infra-stack.ts';

const BUCKET = 'signet-artifacts-example';
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:signet-deploy';

// The "Object Created" example event of the Amazon S3 user guide (EventBridge event message
// structure, ev-events.html), with the bucket and key of an upload to Signet.
function objectCreated(bucket: string, key: string) {
  return {
    version: '0',
    id: '17793124-05d4-b198-2fde-7ededc63b103',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: '2021-11-12T00:00:00Z',
    region: 'ca-central-1',
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: {
        key,
        size: 5,
        etag: 'b1946ac92492d2347c6235b4d2611184',
        'version-id': 'IYV3p45BT0ac8hjHg1houSdS1a.Mppz.',
        sequencer: '00617F08299329D189',
      },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: '123456789012',
      'source-ip-address': '1.2.3.4',
      reason: 'PutObject',
    },
  };
}

// The "Execution Status Change" example of the Step Functions developer guide (EventBridge
// events for Step Functions execution status changes, cw-events.html), for a given status.
function executionStatusChange(stateMachineArn: string, status: string) {
  const executionArn = stateMachineArn
    .replace(':stateMachine:', ':execution:')
    .concat(':execution-name');
  return {
    version: '0',
    id: '315c1398-40ff-a850-213b-158f73e60175',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '123456789012',
    time: '2019-02-26T19:42:21Z',
    region: 'us-east-1',
    resources: [executionArn],
    detail: {
      executionArn,
      stateMachineArn,
      name: 'execution-name',
      status,
      startDate: 1551225271984,
      stopDate: status === 'RUNNING' ? null : 1551225276031,
      input: '{}',
      inputDetails: { included: true },
      output: null,
      outputDetails: null,
    },
  };
}

function signetEvent(detailType: string) {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': detailType,
    source: EVENT_SOURCE,
    account: '123456789012',
    time: '2024-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: ['arn:aws:states:us-east-1:123456789012:execution:signet-deploy:web-1'],
    detail: { app: 'web', version: '1.2.0', outcome: 'RolledBack', summary: 'rolled back' },
  };
}

// GIVEN the stack, synthesized once; its rules' patterns with the bucket name and state machine
// ARN that CloudFormation would fill in.
let synth: SynthesizedSignet;
let deployed: Record<'release' | 'signetAlert' | 'executionFailed' | 'executionStopped', unknown>;
let rules: ReturnType<typeof resourcesOfType>;
beforeAll(() => {
  synth = synthesizeSignet();
  rules = resourcesOfType(synth.template, 'AWS::Events::Rule');
  const refs = {
    [logicalIdAt(synth.stack, '/ArtifactBucket/Artifacts/Resource')]: BUCKET,
    [logicalIdAt(synth.stack, '/StateMachine/StateMachine/Resource')]: STATE_MACHINE_ARN,
  };
  const patternAt = (path: string) =>
    resolveIntrinsics(rules[logicalIdAt(synth.stack, path)]?.Properties['EventPattern'], refs);
  deployed = {
    release: patternAt('/ReleaseTrigger/Rule/Resource'),
    signetAlert: patternAt('/Alerts/SignetAlertRule/Resource'),
    executionFailed: patternAt('/Alerts/ExecutionFailedRule/Resource'),
    executionStopped: patternAt('/ExecutionStopped/Rule/Resource'),
  };
});
afterAll(() => synth.cleanup());

describe('rule patterns', () => {
  it('deploy exactly the patterns of core/event-patterns.ts, which local mode runs', () => {
    expect(deployed.release).toEqual(releaseUploadedPattern(BUCKET));
    expect(deployed.signetAlert).toEqual(signetAlertPattern());
    expect(deployed.executionFailed).toEqual(executionFailedPattern(STATE_MACHINE_ARN));
    expect(deployed.executionStopped).toEqual(executionStoppedPattern(STATE_MACHINE_ARN));
    expect(Object.keys(rules)).toHaveLength(4);
  });

  it.each([
    ['an artifact', 'releases/web/web-1.4.0.tar.gz', true],
    ['its signature', 'releases/web/web-1.4.0.tar.gz.sig', true],
    ['command output', 'command-output/web/abc/install/stdout', false],
    ['a key that only contains releases/', 'archive/releases/web-1.4.0.tar.gz', false],
  ])('the release rule %s on the S3 sample event: %s -> %s', (_label, key, expected) => {
    expect(matchesEventPattern(deployed.release, objectCreated(BUCKET, key))).toBe(expected);
  });

  it('the release rule ignores uploads to another bucket', () => {
    const event = objectCreated('someone-elses-bucket', 'releases/web/web-1.4.0.tar.gz');
    expect(matchesEventPattern(deployed.release, event)).toBe(false);
  });

  it.each([
    ['FAILED', true],
    ['TIMED_OUT', true],
    ['ABORTED', true],
    ['SUCCEEDED', false],
    ['RUNNING', false],
  ])(
    'the execution rule on the Step Functions sample event with status %s -> %s',
    (status, expected) => {
      const event = executionStatusChange(STATE_MACHINE_ARN, status);
      expect(matchesEventPattern(deployed.executionFailed, event)).toBe(expected);
    },
  );

  it.each([
    ['FAILED', false],
    ['TIMED_OUT', true],
    ['ABORTED', true],
    ['SUCCEEDED', false],
    ['RUNNING', false],
  ])(
    'the stopped-execution rule on the Step Functions sample event with status %s -> %s',
    (status, expected) => {
      const event = executionStatusChange(STATE_MACHINE_ARN, status);
      expect(matchesEventPattern(deployed.executionStopped, event)).toBe(expected);
    },
  );

  it("the execution rule ignores other state machines' failures", () => {
    const other = 'arn:aws:states:us-east-1:123456789012:stateMachine:another';
    expect(
      matchesEventPattern(deployed.executionFailed, executionStatusChange(other, 'FAILED')),
    ).toBe(false);
  });

  it.each(
    Object.entries(DETAIL_TYPES).map(([outcome, detailType]) => [
      outcome,
      detailType,
      outcome !== 'Succeeded',
    ]),
  )('the Signet alert rule on outcome %s (%s) -> %s', (_outcome, detailType, expected) => {
    expect(matchesEventPattern(deployed.signetAlert, signetEvent(detailType))).toBe(expected);
  });
});

describe('a broken pattern', () => {
  const event = objectCreated(BUCKET, 'releases/web/web-1.4.0.tar.gz');

  it('with a string where EventBridge wants an array is refused, as PutRule refuses it', () => {
    const broken = { ...releaseUploadedPattern(BUCKET), 'detail-type': 'Object Created' };
    expect(() => compileEventPattern(broken)).toThrow(/must be an object or an array/);
  });

  it.each([
    [
      'a misspelt top-level field',
      { ...omit(releaseUploadedPattern(BUCKET), 'detail-type'), 'detail-typ': ['Object Created'] },
    ],
    [
      'a misspelt detail field',
      {
        ...releaseUploadedPattern(BUCKET),
        detail: { bucket: { name: [BUCKET] }, objects: { key: [{ prefix: 'releases/' }] } },
      },
    ],
    [
      'a wrong-case value',
      { ...releaseUploadedPattern(BUCKET), 'detail-type': ['Object created'] },
    ],
  ])('with %s matches nothing', (_label, broken) => {
    expect(matchesEventPattern(broken, event)).toBe(false);
    expect(matchesEventPattern(releaseUploadedPattern(BUCKET), event)).toBe(true);
  });
});

function omit<T extends Record<string, unknown>>(value: T, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([name]) => name !== key));
}

describe('alert wiring', () => {
  let topicId: string;
  let publisherId: string;
  beforeAll(() => {
    topicId = logicalIdAt(synth.stack, '/Alerts/Topic/Resource');
    publisherId = logicalIdAt(synth.stack, '/Alerts/PublisherRole/Resource');
  });

  it.each(['/Alerts/SignetAlertRule/Resource', '/Alerts/ExecutionFailedRule/Resource'])(
    '%s publishes to the alert topic through its own role',
    (path) => {
      const rule = rules[logicalIdAt(synth.stack, path)];
      expect(rule?.Properties['Targets']).toEqual([
        expect.objectContaining({
          Arn: { Ref: topicId },
          RoleArn: { 'Fn::GetAtt': [publisherId, 'Arn'] },
        }),
      ]);
    },
  );

  it('routes stopped and timed-out executions to record-outcome, which audits them', () => {
    const rule = rules[logicalIdAt(synth.stack, '/ExecutionStopped/Rule/Resource')];
    const fn = logicalIdAt(synth.stack, '/Functions/RecordOutcome/Resource');
    expect(rule?.Properties['Targets']).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [fn, 'Arn'] } }),
    ]);
  });

  it('routes uploads to start-deployment', () => {
    const rule = rules[logicalIdAt(synth.stack, '/ReleaseTrigger/Rule/Resource')];
    const fn = logicalIdAt(synth.stack, '/Functions/StartDeployment/Resource');
    expect(rule?.Properties['Targets']).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [fn, 'Arn'] } }),
    ]);
  });

  it('encrypts the topic with a rotated customer key and refuses publishing without TLS', () => {
    const key = logicalIdAt(synth.stack, '/Alerts/TopicKey/Resource');
    synth.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
    });
    synth.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const policies = Object.values(resourcesOfType(synth.template, 'AWS::SNS::TopicPolicy'));
    const statements = policies.flatMap(
      (p) => (p.Properties['PolicyDocument'] as { Statement: unknown[] }).Statement,
    );
    expect(statements).toEqual([
      {
        Sid: 'AllowPublishThroughSSLOnly',
        Effect: 'Deny',
        Action: 'sns:Publish',
        Principal: '*',
        Resource: { Ref: topicId },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  it('lets EventBridge, for this account only, assume the role that may publish to this topic', () => {
    const role = resourcesOfType(synth.template, 'AWS::IAM::Role')[publisherId];
    expect(role?.Properties['AssumeRolePolicyDocument']).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
  });

  it('subscribes every alert email', () => {
    const subscriptions = Object.values(resourcesOfType(synth.template, 'AWS::SNS::Subscription'));
    expect(subscriptions.map((s) => s.Properties)).toEqual([
      { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId } },
      { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: topicId } },
    ]);
  });
});
