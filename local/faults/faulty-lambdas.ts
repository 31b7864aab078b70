import type { FaultPlan } from './fault-plan.ts';

type Invoke = (input: unknown) => Promise<unknown>;

/** The error Lambda's service reports when an invocation is lost; every Task retries it. */
function lostInvocation(functionId: string): Error {
  const error = new Error(`Local fault: the invocation of ${functionId} was lost`);
  error.name = 'Lambda.ServiceException';
  return error;
}

/**
 * Task functions through a fault plan: a lost invocation fails before the handler runs, as
 * Lambda's own faults do, so the state machine's Retry must carry the deployment on.
 *
 * @param byArn the local function ARNs and their functions (local/stack/local-lambdas.ts)
 * @param idOf the manifest id in an ARN
 */
export function withLambdaFaults(
  byArn: ReadonlyMap<string, Invoke>,
  plan: FaultPlan,
  idOf: (arn: string) => string,
): Map<string, Invoke> {
  const wrapped = new Map<string, Invoke>();
  for (const [arn, invoke] of byArn) {
    const id = idOf(arn);
    wrapped.set(arn, async (input) => {
      if (plan.takeLostLambda(id)) throw lostInvocation(id);
      return invoke(input);
    });
  }
  return wrapped;
}
