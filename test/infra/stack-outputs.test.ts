import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingNames } from '../../core/settings.ts';
import {
  logicalIdAt,
  propertiesOf,
  type SynthesizedSignet,
  synthesizeSignet,
} from '../helpers/infra-stack.ts';

// GIVEN the stack, synthesized once.
let synth: SynthesizedSignet;
let outputs: Record<string, { Value?: unknown; Description?: string }>;
beforeAll(() => {
  synth = synthesizeSignet();
  outputs = synth.template.findOutputs('*') as typeof outputs;
});
afterAll(() => synth.cleanup());

describe('stack outputs', () => {
  it('name the release rule, whose fixed name the rule and every Lambda carry', () => {
    const rule = logicalIdAt(synth.stack, '/ReleaseTrigger/Rule/Resource');
    const name = propertiesOf(synth.template, 'AWS::Events::Rule', rule)['Name'];
    const startDeployment = logicalIdAt(synth.stack, '/Functions/StartDeployment/Resource');
    const fn = propertiesOf(synth.template, 'AWS::Lambda::Function', startDeployment);
    const environment = (fn['Environment'] as { Variables: Record<string, unknown> }).Variables;

    expect(name).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    expect(name).toMatch(/-release-uploaded$/);
    expect(outputs['SignetReleaseRuleName']?.Value).toBe(name);
    expect(environment[SettingNames.releaseRuleName]).toBe(name);
  });

  it.each([
    ['SignetStateMachineArn', SettingNames.stateMachineArn],
    ['SignetArtifactBucket', SettingNames.artifactBucket],
    ['SignetStateTable', SettingNames.stateTable],
    ['SignetParameterPrefix', SettingNames.parameterPrefix],
    ['SignetDocumentName', SettingNames.documentName],
    ['SignetReleaseRuleName', SettingNames.releaseRuleName],
  ])('%s tells the signet CLI its %s', (id, variable) => {
    expect(outputs[id]?.Description).toBe(`export ${variable}=<this value> for the signet CLI`);
  });

  it('name the Command document the Lambdas send', () => {
    const document = logicalIdAt(synth.stack, '/RunCommandDocument/Document');
    expect(outputs['SignetDocumentName']?.Value).toEqual({ Ref: document });
  });
});
