import { join } from 'node:path';
import {
  handlerEntry,
  LAMBDA_FUNCTIONS,
  type LambdaFunctionSpec,
} from '../../functions/manifest.ts';
import {
  invokeLikeLambda,
  type LambdaHandler,
  localFunctionArn,
} from '../stepfunctions/local-lambda.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export interface LocalLambdas {
  /** Local function ARN -> the function, as the state machine's Task states call them. */
  readonly byArn: ReadonlyMap<string, (input: unknown) => Promise<unknown>>;
  /** The EventBridge rule's target. */
  readonly startDeployment: (input: unknown) => Promise<unknown>;
}

/**
 * Imports the very handler modules Lambda runs (their middy-wrapped `handler` exports) and
 * wraps each as Lambda would call it. Import only after the endpoints are in the environment:
 * handlers create their SDK clients on first use, from AWS_ENDPOINT_URL_<SERVICE>.
 */
export async function loadLocalLambdas(region: string): Promise<LocalLambdas> {
  const byArn = new Map<string, (input: unknown) => Promise<unknown>>();
  let startDeployment: ((input: unknown) => Promise<unknown>) | undefined;
  for (const spec of LAMBDA_FUNCTIONS) {
    const invoke = invokeLikeLambda(spec, await importHandler(spec));
    if (spec.arnSubstitution === null) startDeployment = invoke;
    else byArn.set(localFunctionArn(spec.id, region), invoke);
  }
  if (startDeployment === undefined)
    throw new Error('The function manifest has no trigger function');
  return { byArn, startDeployment };
}

async function importHandler(spec: LambdaFunctionSpec): Promise<LambdaHandler> {
  const module = (await import(join(ROOT, handlerEntry(spec)))) as { handler?: LambdaHandler };
  if (typeof module.handler !== 'function') {
    throw new Error(`${handlerEntry(spec)} exports no handler`);
  }
  return module.handler;
}
