import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { loadDefinition, localSubstitutions } from '../../local/stepfunctions/definition.ts';
import type { Definition, State } from './asl-checks.ts';
import {
  CHECKS,
  DEFINITION,
  RECORD_OUTCOME,
  ROLLBACK_DECISION,
  substitutionProblems,
  TEXT,
} from './deploy-asl-rules.ts';

/** Broken copies of statemachine/deploy.asl.json: each check of the file must catch its fault. */

describe('the checks on a deliberately broken copy', () => {
  const copy = () =>
    structuredClone(DEFINITION) as { StartAt: string; States: Record<string, State> };
  const state = (definition: Definition, name: string) => definition.States[name] as State;
  const checkNamed = (label: string) => {
    const found = CHECKS.find((entry) => entry.label === label);
    if (found === undefined) throw new Error(`no check named ${label}`);
    return found.check;
  };
  const firstRetrier = (s: State) => (s['Retry'] as { ErrorEquals: string[] }[])[0];
  const catchAll = (s: State) => (s['Catch'] as { Next: string }[]).at(-1);

  it.each([
    {
      label: 'a misspelt Signet error name',
      breakIt: (d: Definition) => {
        const retriers = state(d, 'AcquireLock')['Retry'] as { ErrorEquals: string[] }[];
        for (const retrier of retriers) {
          retrier.ErrorEquals = retrier.ErrorEquals.map((e) =>
            e === 'DeploymentInProgress' ? 'DeploymentInProgres' : e,
          );
        }
      },
      check: 'unknown error names',
      expected: 'AcquireLock: Retry names unknown error DeploymentInProgres',
    },
    {
      label: 'a misspelt States error name',
      breakIt: (d: Definition) => {
        for (const catcher of state(d, 'VerifyArtifact')['Catch'] as { ErrorEquals: string[] }[]) {
          catcher.ErrorEquals = ['States.All'];
        }
      },
      check: 'unknown error names',
      expected: 'VerifyArtifact: Catch names unknown error States.All',
    },
    {
      label: 'a Next pointing nowhere',
      breakIt: (d: Definition) => {
        state(d, 'VerifyArtifact')['Next'] = 'ResolveTarget';
      },
      check: 'transitions to missing states',
      expected: 'VerifyArtifact -> ResolveTarget: no such state',
    },
    {
      label: 'a state nothing leads to',
      breakIt: (d: Definition) => {
        d.States['Orphan'] = { Type: 'Pass', Next: RECORD_OUTCOME };
      },
      check: 'unreachable states',
      expected: 'Orphan: unreachable from NormalizeInput',
    },
    {
      label: 'a loop with no way out',
      breakIt: (d: Definition) => {
        state(d, 'ReleaseLockIfHeld?')['Default'] = 'Spin';
        d.States['Spin'] = { Type: 'Pass', Next: 'Spin' };
      },
      check: 'states that can never reach an end',
      expected: 'Spin: can never reach an end state',
    },
    {
      label: 'an end of its own',
      breakIt: (d: Definition) => {
        state(d, 'Succeeded?')['Default'] = 'Quit';
        d.States['Quit'] = { Type: 'Succeed' };
      },
      check: 'ends other than the three documented',
      expected: 'Quit: ends the execution',
    },
    {
      label: 'a Task timeout longer than its function',
      breakIt: (d: Definition) => {
        state(d, 'VerifyArtifact')['TimeoutSeconds'] = 901;
      },
      check: 'Task timeouts over their function',
      expected: 'VerifyArtifact: TimeoutSeconds 901 > function timeout 900',
    },
    {
      label: 'a Task missing one transient Lambda error',
      breakIt: (d: Definition) => {
        const retrier = firstRetrier(state(d, 'CheckInstall'));
        if (retrier) retrier.ErrorEquals = retrier.ErrorEquals.slice(1);
      },
      check: 'Tasks without the transient Lambda retry',
      expected: 'CheckInstall: no Retry on all of',
    },
    {
      label: 'a Task without Catch',
      breakIt: (d: Definition) => {
        delete state(d, 'RecordRelease')['Catch'];
      },
      check: 'Tasks without a catch-all',
      expected: 'RecordRelease: no Catch on States.ALL',
    },
    {
      label: 'a Task before the rollout catching into the rollback',
      breakIt: (d: Definition) => {
        const catcher = catchAll(state(d, 'ResolveTargets'));
        if (catcher) catcher.Next = ROLLBACK_DECISION;
      },
      check: 'catches before StartRollout not going to RecordOutcome',
      expected: `ResolveTargets: Catch States.ALL -> ${ROLLBACK_DECISION}`,
    },
    {
      label: 'a loop Task catching straight to RecordOutcome',
      breakIt: (d: Definition) => {
        const catcher = catchAll(state(d, 'CheckHealthCheck'));
        if (catcher) catcher.Next = RECORD_OUTCOME;
      },
      check: 'catches in the install / health loop not going to the rollback decision',
      expected: 'CheckHealthCheck: Catch States.ALL -> RecordOutcome',
    },
    {
      label: 'a rollback Task overwriting the first failure',
      breakIt: (d: Definition) => {
        const catcher = catchAll(state(d, 'CheckRollback')) as { ResultPath?: string };
        catcher.ResultPath = '$.failure';
      },
      check: 'catches in the rollback not going to RecordOutcome as a rollback failure',
      expected: 'CheckRollback: Catch States.ALL -> RecordOutcome ($.failure)',
    },
    {
      label: 'a path to the end around RecordOutcome',
      breakIt: (d: Definition) => {
        state(d, 'RecordRelease')['Next'] = 'ReleaseLockIfHeld?';
      },
      check: 'ends reachable without passing RecordOutcome',
      expected: 'DeploymentSucceeded: reachable without passing RecordOutcome',
    },
    {
      label: 'a way back into RecordOutcome',
      breakIt: (d: Definition) => {
        state(d, 'EmitOutcomeEvent')['Next'] = RECORD_OUTCOME;
      },
      check: 'ways back into RecordOutcome after it ran',
      expected: 'leads back to RecordOutcome',
    },
  ])('catches $label', ({ breakIt, check, expected }) => {
    // Prepare
    const broken = copy();
    breakIt(broken);

    // Act
    const problems = checkNamed(check)(broken);

    // Assess
    expect(problems.join('\n')).toContain(expected);
    expect(checkNamed(check)(DEFINITION)).toEqual([]);
  });

  it('catches an unknown placeholder and the manifest function it leaves unused', () => {
    // Prepare
    const broken = TEXT.replace(`\${EmitEventFunctionArn}`, `\${EmitEventFunctionArm}`);

    // Act
    const problems = substitutionProblems(broken);

    // Assess
    expect(problems).toEqual([
      `\${EmitEventFunctionArm}: not a substitution in functions/manifest.ts`,
      'EmitEventFunctionArn: in functions/manifest.ts but unused by the state machine',
    ]);
  });

  it('lets asl-validator refuse a copy with a Next pointing nowhere', async () => {
    // Prepare
    const filled = await loadDefinition(localSubstitutions('us-east-1'));
    (filled.States['VerifyArtifact'] as State)['Next'] = 'ResolveTarget';

    // Act
    const result = aslValidator(filled, { checkArn: true, checkPaths: true });

    // Assess
    expect(result.isValid).toBe(false);
    expect(result.errorsText()).toContain('ResolveTarget');
  });
});
