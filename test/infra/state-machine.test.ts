import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingNames } from '../../core/settings.ts';
import { LAMBDA_FUNCTIONS } from '../../functions/manifest.ts';
import {
  logicalIdAt,
  propertiesOf,
  resourcesOfType,
  type SynthesizedSignet,
  synthesizeSignet,
} from '../helpers/infra-stack.ts';

const ASL_FILE = join(import.meta.dirname, '..', '..', 'statemachine', 'deploy.asl.json');
const ASL_TEXT = readFileSync(ASL_FILE, 'utf8');

// GIVEN the stack, synthesized once with a distinct stand-in bundle per function.
let synth: SynthesizedSignet;
let machine: Record<string, unknown>;
beforeAll(() => {
  synth = synthesizeSignet();
  const machines = Object.values(
    resourcesOfType(synth.template, 'AWS::StepFunctions::StateMachine'),
  );
  expect(machines).toHaveLength(1);
  machine = machines[0]?.Properties ?? {};
});
afterAll(() => synth.cleanup());

const pascal = (id: string) => id.replace(/(^|-)([a-z])/g, (_m, _d, l: string) => l.toUpperCase());
const functionId = (id: string) => logicalIdAt(synth.stack, `/Functions/${pascal(id)}/Resource`);

describe('deployment state machine', () => {
  it('is the state machine file byte for byte, deployed as an asset', () => {
    const location = machine['DefinitionS3Location'] as { Key: string };
    const deployed = readFileSync(join(synth.outdir, `asset.${location.Key}`), 'utf8');
    expect(deployed).toBe(ASL_TEXT);
    expect(machine).not.toHaveProperty('DefinitionString');
  });

  it("substitutes each FunctionArn placeholder of the file with its function's ARN, only those", () => {
    const placeholders = new Set([...ASL_TEXT.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    const expected = Object.fromEntries(
      LAMBDA_FUNCTIONS.filter((spec) => spec.arnSubstitution !== null).map((spec) => [
        spec.arnSubstitution,
        { 'Fn::GetAtt': [functionId(spec.id), 'Arn'] },
      ]),
    );
    expect(machine['DefinitionSubstitutions']).toEqual(expected);
    expect(new Set(Object.keys(expected))).toEqual(placeholders);
  });

  it('becomes a definition whose every Task calls one of the functions once substituted', () => {
    const substitutions = machine['DefinitionSubstitutions'] as Record<
      string,
      { 'Fn::GetAtt': [string] }
    >;
    const text = ASL_TEXT.replace(/\$\{(\w+)\}/g, (_m, name: string) => {
      const target = substitutions[name];
      return `arn:aws:lambda:eu-west-1:123456789012:function:${target?.['Fn::GetAtt'][0]}`;
    });
    const definition = JSON.parse(text) as {
      States: Record<string, { Type: string; Resource?: string }>;
    };
    const resources = Object.values(definition.States)
      .filter((state) => state.Type === 'Task')
      .map((state) => state.Resource);
    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) expect(resource).toMatch(/^arn:aws:lambda:.*:function:\w+$/);
    expect(text).not.toContain('${');
  });

  it('is Standard, logs every event without execution data, and is traced', () => {
    const logGroup = logicalIdAt(synth.stack, '/StateMachine/Logs/Resource');
    expect(machine['StateMachineType']).toBe('STANDARD');
    expect(machine['LoggingConfiguration']).toEqual({
      Destinations: [
        { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroup, 'Arn'] } } },
      ],
      IncludeExecutionData: false,
      Level: 'ALL',
    });
    expect(machine['TracingConfiguration']).toEqual({ Enabled: true });
    const group = resourcesOfType(synth.template, 'AWS::Logs::LogGroup')[logGroup];
    expect(group?.Properties).toEqual({
      LogGroupName: `/aws/vendedlogs/states/${machine['StateMachineName']}`,
      RetentionInDays: 90,
    });
  });

  it('times out by the file, before the deployment lock it holds expires', () => {
    const timeout = (JSON.parse(ASL_TEXT) as { TimeoutSeconds: number }).TimeoutSeconds;
    expect(timeout).toBe(7200);
    const environment = functionEnvironment('acquire-lock');
    expect(Number(environment[SettingNames.lockLeaseSeconds])).toBeGreaterThan(timeout);
  });
});

function functionEnvironment(id: string): Record<string, unknown> {
  const fn = propertiesOf(synth.template, 'AWS::Lambda::Function', functionId(id));
  return (fn['Environment'] as { Variables: Record<string, unknown> }).Variables;
}

describe('Lambdas', () => {
  it.each(LAMBDA_FUNCTIONS.map((spec) => [spec.id, spec]))(
    '%s runs its own bundle on nodejs24.x arm64 with the manifest timeout and memory, traced',
    (id, spec) => {
      const fn = propertiesOf(synth.template, 'AWS::Lambda::Function', functionId(id));
      const logGroup = logicalIdAt(synth.stack, `/Functions/${pascal(id)}Logs/Resource`);
      expect(fn).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: spec.timeoutSeconds,
        MemorySize: spec.memoryMb,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: logGroup } },
      });
      const key = (fn['Code'] as { S3Key: string }).S3Key.replace(/\.zip$/, '');
      const bundle = readFileSync(join(synth.outdir, `asset.${key}`, 'index.mjs'), 'utf8');
      expect(bundle).toContain(`'${id}'`);
      expect(resourcesOfType(synth.template, 'AWS::Logs::LogGroup')[logGroup]?.Properties).toEqual({
        RetentionInDays: 90,
      });
    },
  );

  it('all get every setting of core/settings.ts, pointing at this stack', () => {
    const bucket = logicalIdAt(synth.stack, '/ArtifactBucket/Artifacts/Resource');
    const table = logicalIdAt(synth.stack, '/StateTable/Table/Resource');
    const document = logicalIdAt(synth.stack, '/RunCommandDocument/Document');
    const rule = logicalIdAt(synth.stack, '/ReleaseTrigger/Rule/Resource');
    const ruleName = propertiesOf(synth.template, 'AWS::Events::Rule', rule)['Name'];
    const expected = {
      [SettingNames.artifactBucket]: { Ref: bucket },
      [SettingNames.parameterPrefix]: '/signet',
      [SettingNames.stateTable]: { Ref: table },
      [SettingNames.documentName]: { Ref: document },
      [SettingNames.eventBusName]: 'default',
      [SettingNames.stateMachineArn]: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':states:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            `:stateMachine:${machine['StateMachineName']}`,
          ],
        ],
      },
      [SettingNames.commandOutputBucket]: { Ref: bucket },
      [SettingNames.commandOutputPrefix]: 'command-output/',
      [SettingNames.lockLeaseSeconds]: '7500',
      [SettingNames.artifactUrlSeconds]: '900',
      [SettingNames.releaseRuleName]: ruleName,
    };
    expect(Object.keys(expected).sort()).toEqual(Object.values(SettingNames).sort());
    for (const spec of LAMBDA_FUNCTIONS) expect(functionEnvironment(spec.id)).toEqual(expected);
  });
});
