import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTIONS } from '../../functions/manifest.ts';
import {
  logicalIdAt,
  propertiesOf,
  resourcesOfType,
  type SynthesizedSignet,
  synthesizeSignet,
  TEST_APPS,
} from '../helpers/infra-stack.ts';

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
}

const alarmArn = (name: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':cloudwatch:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:alarm:${name}`,
    ],
  ],
});

// GIVEN web gated on two alarms and api on one, synthesized once.
let synth: SynthesizedSignet;
beforeAll(() => {
  const [web, api] = TEST_APPS;
  synth = synthesizeSignet({
    apps: [
      { ...web, name: 'web', config: { health: { alarms: ['web-5xx', 'web latency'] } } },
      { ...api, name: 'api', config: { ...api?.config, health: { alarms: ['api-5xx'] } } },
    ],
  });
});
afterAll(() => synth.cleanup());

function statementsOf(id: string): Statement[] {
  const pascal = id.replace(/(^|-)([a-z])/g, (_m, _d, letter: string) => letter.toUpperCase());
  const fn = propertiesOf(
    synth.template,
    'AWS::Lambda::Function',
    logicalIdAt(synth.stack, `/Functions/${pascal}/Resource`),
  );
  const role = (fn['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return Object.values(resourcesOfType(synth.template, 'AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties['Roles'] as { Ref: string }[]).some((r) => r.Ref === role),
    )
    .flatMap(
      (policy) => (policy.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement,
    );
}

describe('the CloudWatch alarm gate', () => {
  it('lets check-command describe exactly the configured alarms, by ARN', () => {
    // WHEN
    const grants = statementsOf('check-command').filter((s) =>
      [s.Action].flat().includes('cloudwatch:DescribeAlarms'),
    );

    // THEN
    expect(grants).toHaveLength(1);
    expect(grants[0]?.Action).toBe('cloudwatch:DescribeAlarms');
    expect(grants[0]?.Resource).toEqual([
      alarmArn('web-5xx'),
      alarmArn('web latency'),
      alarmArn('api-5xx'),
    ]);
  });

  it.each(LAMBDA_FUNCTIONS.filter((spec) => spec.id !== 'check-command').map((spec) => [spec.id]))(
    'gives %s no CloudWatch action',
    (id) => {
      // WHEN
      const actions = statementsOf(id).flatMap((s) => [s.Action].flat());

      // THEN
      expect(actions.filter((action) => action.startsWith('cloudwatch:'))).toEqual([]);
    },
  );

  it('adds no cdk-nag finding: no wildcard was needed', () => {
    // WHEN
    const report = new AwsSolutionsChecks().validateScope(synth.app);

    // THEN
    expect(report.violations).toEqual([]);
  });
});
