import type { FaultPlan } from '../../faults/fault-plan.ts';
import {
  AwsServiceError,
  type JsonObject,
  type JsonOperation,
  type JsonService,
} from '../service-types.ts';

/**
 * The AmazonSSM service through a fault plan: throttled operations answer
 * ThrottlingException (HTTP 400, as SSM does), and hidden invocations are left out of
 * ListCommandInvocations and answer InvocationDoesNotExist to GetCommandInvocation, as SSM's
 * eventually consistent listing does right after SendCommand.
 */
export function withSsmFaults(service: JsonService, plan: FaultPlan): JsonService {
  const operations: Record<string, JsonOperation> = {};
  for (const [name, operation] of Object.entries(service.operations)) {
    operations[name] = async (input) => {
      if (plan.takeThrottle(name)) {
        throw new AwsServiceError('ThrottlingException', 'Rate exceeded', 400);
      }
      if (name === 'GetCommandInvocation' && hidden(plan, input)) {
        throw new AwsServiceError('InvocationDoesNotExist', '');
      }
      const output = await operation(input);
      return name === 'ListCommandInvocations' ? withoutHidden(plan, output) : output;
    };
  }
  return { ...service, operations };
}

function hidden(plan: FaultPlan, input: JsonObject): boolean {
  return plan.takeHidden(String(input['CommandId'] ?? ''), String(input['InstanceId'] ?? ''));
}

function withoutHidden(plan: FaultPlan, output: JsonObject): JsonObject {
  const rows = output['CommandInvocations'];
  if (!Array.isArray(rows)) return output;
  const kept = rows.filter((row) => !hidden(plan, row as JsonObject));
  return { ...output, CommandInvocations: kept };
}
