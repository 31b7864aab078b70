import { readFile } from 'node:fs/promises';
import * as errors from '../../core/errors.ts';
import { LAMBDA_FUNCTIONS } from '../../functions/manifest.ts';
import { DEFINITION_FILE } from '../../local/stepfunctions/definition.ts';
import {
  catchesNotLeadingTo,
  type Definition,
  danglingTransitions,
  destination,
  isTask,
  reachable,
  tasksWithoutCatchAll,
  tasksWithoutRetryOn,
  timeoutsOverFunction,
  transitions,
  trappedStates,
  unexpectedEnds,
  unknownErrorNames,
  unreachableStates,
} from './asl-checks.ts';

/**
 * What statemachine/deploy.asl.json must satisfy, as checks the tests run on the file and on
 * broken copies of it: every error name it matches defined somewhere, every Task bounded and
 * retried, and the graph shaped as docs/ARCHITECTURE.md says.
 */

export const TEXT = await readFile(DEFINITION_FILE, 'utf8');
// The placeholders sit inside strings, so the file parses as it is.
export const DEFINITION = JSON.parse(TEXT) as Definition;

export const START_ROLLOUT = 'StartRollout';
export const ROLLBACK_DECISION = 'RollBackIfPossible?';
export const RECORD_OUTCOME = 'RecordOutcome';
export const DEPLOYMENT_FAILED = 'DeploymentFailed';
export const ENDS = ['DeploymentSucceeded', DEPLOYMENT_FAILED, 'IgnoredNotARelease'];

// Step Functions' own error names (developer guide, "Error handling in Step Functions").
const STATES_ERRORS = new Set([
  'States.ALL',
  'States.BranchFailed',
  'States.DataLimitExceeded',
  'States.ExceedToleratedFailureThreshold',
  'States.HeartbeatTimeout',
  'States.Http.Socket',
  'States.IntrinsicFailure',
  'States.ItemReaderFailed',
  'States.NoChoiceMatched',
  'States.ParameterPathFailure',
  'States.Permissions',
  'States.QueryEvaluationError',
  'States.ResultPathMatchFailure',
  'States.ResultWriterFailed',
  'States.Runtime',
  'States.TaskFailed',
  'States.Timeout',
]);
// Lambda's transient service errors, as Step Functions reports them (developer guide, "Handle
// Lambda service exceptions"), plus its throttling: every Task must retry all of them.
const TRANSIENT_LAMBDA_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
const LAMBDA_ERRORS = new Set([...TRANSIENT_LAMBDA_ERRORS, 'Lambda.Unknown']);
export const SIGNET_ERRORS = new Set(
  Object.values(errors)
    .filter(
      (value): value is errors.SignetErrorClass =>
        typeof value === 'function' && value.prototype instanceof errors.SignetError,
    )
    .map((ErrorClass) => new ErrorClass('probe').name),
);
const isKnownError = (name: string) =>
  STATES_ERRORS.has(name) || LAMBDA_ERRORS.has(name) || SIGNET_ERRORS.has(name);

export const MANIFEST_SUBSTITUTIONS = LAMBDA_FUNCTIONS.flatMap((spec) =>
  spec.arnSubstitution === null ? [] : [spec.arnSubstitution],
);

/** `${...}` placeholders not in the manifest, malformed ones, and manifest entries unused. */
export function substitutionProblems(text: string): string[] {
  const used = [...text.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[1] ?? '');
  return [
    ...used
      .filter((name) => !MANIFEST_SUBSTITUTIONS.includes(name))
      .map((name) => `\${${name}}: not a substitution in functions/manifest.ts`),
    ...MANIFEST_SUBSTITUTIONS.filter((name) => !used.includes(name)).map(
      (name) => `${name}: in functions/manifest.ts but unused by the state machine`,
    ),
  ];
}

/** The Lambda timeout of the function a Task's `${...FunctionArn}` names. */
function functionTimeout(resource: string): number | undefined {
  const name = /^\$\{(.+)\}$/.exec(resource)?.[1];
  return LAMBDA_FUNCTIONS.find((spec) => spec.arnSubstitution === name)?.timeoutSeconds;
}

/**
 * States from StartAt to StartRollout, by their normal transitions: no instance touched yet.
 * The ending (RecordOutcome onwards) is not part of it, even where a refusal goes there directly.
 */
export function beforeRollout(definition: Definition): Set<string> {
  return reachable(definition, definition.StartAt, {
    withCatch: false,
    avoid: [START_ROLLOUT, RECORD_OUTCOME],
  });
}

/** The install / health loop: states after StartRollout that can come back to its first step. */
export function rolloutLoop(definition: Definition): string[] {
  const firstStep = String(definition.States[START_ROLLOUT]?.['Next']);
  return [...reachable(definition, START_ROLLOUT, { withCatch: false })].filter((name) =>
    reachable(definition, name, { withCatch: false }).has(firstStep),
  );
}

/** States of the rollback, from the decision to RecordOutcome. */
export function rollbackPhase(definition: Definition): Set<string> {
  return reachable(definition, ROLLBACK_DECISION, { withCatch: false, avoid: [RECORD_OUTCOME] });
}

export const tasksIn = (definition: Definition, names: Iterable<string>) =>
  [...names].filter((name) => isTask(definition.States[name] ?? {}));
const isSucceedState = (definition: Definition, name: string) =>
  definition.States[destination(definition, name)]?.['Type'] === 'Succeed';

export const CHECKS: { label: string; check: (definition: Definition) => string[] }[] = [
  { label: 'transitions to missing states', check: danglingTransitions },
  { label: 'unreachable states', check: unreachableStates },
  { label: 'states that can never reach an end', check: trappedStates },
  { label: 'ends other than the three documented', check: (d) => unexpectedEnds(d, ENDS) },
  { label: 'unknown error names', check: (d) => unknownErrorNames(d, isKnownError) },
  {
    label: 'Tasks without the transient Lambda retry',
    check: (d) => tasksWithoutRetryOn(d, TRANSIENT_LAMBDA_ERRORS),
  },
  {
    label: 'Task timeouts over their function',
    check: (d) => timeoutsOverFunction(d, functionTimeout),
  },
  { label: 'Tasks without a catch-all', check: tasksWithoutCatchAll },
  {
    label: 'catches before StartRollout not going to RecordOutcome',
    // A catch may also end the execution as nothing to deploy (a Succeed state).
    check: (d) =>
      catchesNotLeadingTo(
        d,
        beforeRollout(d),
        RECORD_OUTCOME,
        '$.failure',
        (catcher) => !catcher.ErrorEquals.includes('States.ALL') && isSucceedState(d, catcher.Next),
      ),
  },
  {
    label: 'catches in the install / health loop not going to the rollback decision',
    check: (d) => catchesNotLeadingTo(d, rolloutLoop(d), ROLLBACK_DECISION, '$.failure'),
  },
  {
    label: 'catches in the rollback not going to RecordOutcome as a rollback failure',
    check: (d) => catchesNotLeadingTo(d, rollbackPhase(d), RECORD_OUTCOME, '$.rollbackFailure'),
  },
  {
    label: 'ends reachable without passing RecordOutcome',
    check: (d) =>
      [...reachable(d, d.StartAt, { avoid: [RECORD_OUTCOME] })]
        .filter((name) => name === DEPLOYMENT_FAILED || name === 'DeploymentSucceeded')
        .map((name) => `${name}: reachable without passing ${RECORD_OUTCOME}`),
  },
  {
    label: 'ways back into RecordOutcome after it ran',
    check: (d) =>
      transitions(d.States[RECORD_OUTCOME] ?? {})
        .filter((next) => reachable(d, next).has(RECORD_OUTCOME))
        .map((next) => `${RECORD_OUTCOME} -> ${next}: leads back to ${RECORD_OUTCOME}`),
  },
];
