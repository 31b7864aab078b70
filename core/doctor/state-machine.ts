import { DescribeStateMachineCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { guarded, isErrorNamed } from './aws-failure.ts';
import { type CheckResult, failed, passed } from './check-result.ts';

/** The deployment state machine exists and is ACTIVE (not being deleted). */
export async function checkStateMachine(
  sfn: SFNClient,
  stateMachineArn: string,
): Promise<CheckResult[]> {
  const check = 'state-machine';
  return guarded(check, stateMachineArn, ['states:DescribeStateMachine'], async () => {
    let status: string | undefined;
    try {
      status = (
        await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: stateMachineArn }))
      ).status;
    } catch (error) {
      if (!isErrorNamed(error, 'StateMachineDoesNotExist', 'InvalidArn')) throw error;
      return [
        failed(
          check,
          stateMachineArn,
          `state machine ${stateMachineArn} does not exist (${(error as Error).name})`,
          'set SIGNET_STATE_MACHINE_ARN to the stack output SignetStateMachineArn (`signet ' +
            'local up` prints it for the local stack)',
        ),
      ];
    }
    if (status === 'ACTIVE') return [passed(check, stateMachineArn)];
    return [
      failed(
        check,
        stateMachineArn,
        `state machine ${stateMachineArn} is ${status ?? 'in no state'}, not ACTIVE: it starts ` +
          'no deployment',
        'redeploy the Signet stack (`npx cdk deploy`)',
      ),
    ];
  });
}
