import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { loadDefinition, localSubstitutions } from '../../local/stepfunctions/definition.ts';
import {
  beforeRollout,
  CHECKS,
  DEFINITION,
  DEPLOYMENT_FAILED,
  MANIFEST_SUBSTITUTIONS,
  RECORD_OUTCOME,
  ROLLBACK_DECISION,
  rollbackPhase,
  rolloutLoop,
  SIGNET_ERRORS,
  substitutionProblems,
  TEXT,
  tasksIn,
} from './deploy-asl-rules.ts';

/** statemachine/deploy.asl.json on its own; deploy-asl-broken.test.ts shows each check can fail. */

describe('statemachine/deploy.asl.json', () => {
  it('is valid ASL for asl-validator once every placeholder holds a local function ARN', async () => {
    // Prepare
    const filled = await loadDefinition(localSubstitutions('us-east-1'));

    // Act
    const result = aslValidator(filled, { checkArn: true, checkPaths: true });

    // Assess
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('uses every function substitution of functions/manifest.ts, and no other', () => {
    // Assess
    expect(MANIFEST_SUBSTITUTIONS.length).toBeGreaterThan(5);
    expect(substitutionProblems(TEXT)).toEqual([]);
  });

  it('knows the Signet error names from core/errors.ts', () => {
    // Assess: the collection itself works, so the name check below is not vacuous.
    expect(SIGNET_ERRORS).toContain('DeploymentInProgress');
    expect(SIGNET_ERRORS).toContain('AwsThrottled');
    expect(SIGNET_ERRORS.size).toBeGreaterThan(20);
  });

  it.each(CHECKS)('has no $label', ({ check }) => {
    // Act
    const problems = check(DEFINITION);

    // Assess
    expect(problems).toEqual([]);
  });

  it('puts Tasks in each region the catch rules cover, so those rules are not vacuous', () => {
    // Assess
    expect(tasksIn(DEFINITION, beforeRollout(DEFINITION)).length).toBeGreaterThanOrEqual(3);
    expect(tasksIn(DEFINITION, rolloutLoop(DEFINITION)).length).toBeGreaterThanOrEqual(4);
    expect(tasksIn(DEFINITION, rollbackPhase(DEFINITION)).length).toBeGreaterThanOrEqual(4);
  });

  it('decides on a rollback in a Choice that stops and flags touched instances when it cannot', () => {
    // Prepare
    const decision = DEFINITION.States[ROLLBACK_DECISION] as { Default?: string };
    const stopDecision = DEFINITION.States[decision.Default ?? ''];

    // Assess
    expect(decision).toMatchObject({ Type: 'Choice', Default: 'StopIfTouched?' });
    expect(stopDecision).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.rollout', IsPresent: true, Next: 'StartStop' }],
      Default: RECORD_OUTCOME,
    });
    expect(DEFINITION.States['StartStop']).toMatchObject({
      Parameters: { phase: 'stop', 'release.$': '$.artifact' },
      ResultPath: '$.rollbackCommand',
    });
    expect(DEFINITION.States['MarkStopped']).toMatchObject({
      Result: { status: 'Stopped' },
      ResultPath: '$.rollback',
      Next: RECORD_OUTCOME,
    });
  });

  it('fails the execution with the error and cause the outcome holds', () => {
    // Prepare
    const failStates = Object.entries(DEFINITION.States).filter(([, s]) => s['Type'] === 'Fail');

    // Assess
    expect(failStates.map(([name]) => name)).toEqual([DEPLOYMENT_FAILED]);
    expect(DEFINITION.States[DEPLOYMENT_FAILED]).toMatchObject({
      ErrorPath: '$.outcome.error',
      CausePath: '$.outcome.executionCause',
    });
  });
});
