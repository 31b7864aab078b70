import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { expect } from 'vitest';
import { DeploymentLock } from '../../core/deployment-lock.ts';
import { type Contract, type ContractWorld, contractCase, thrown } from './contract.ts';
import { recordedError } from './recorded-answers.ts';

// Sources: Step Functions API Reference, StartExecution ("Executions with the same name and
// input are considered idempotent"; ExecutionAlreadyExists otherwise), DescribeExecution
// (ExecutionDoesNotExist), StopExecution (status ABORTED).

const RECORDED_EXECUTION =
  'arn:aws:states:us-east-1:123456789012:execution:signet-deploy:web-1_0_0-0123456789abcdef';

const start = (world: ContractWorld, name: string, input: object) =>
  world.clients.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: world.stateMachineArn,
      name,
      input: JSON.stringify(input),
    }),
  );

const executionArnOf = (world: ContractWorld, name: string) =>
  `${world.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

export const stepFunctionsContract: Contract = {
  api: 'Step Functions',
  operations: ['StartExecution', 'DescribeExecution', 'StopExecution'],
  cases: [
    contractCase({
      name: 'starts one execution per name: the same name and input again is the same one',
      recorded: (stubs) => {
        stubs.sfn
          .on(StartExecutionCommand)
          .resolves({ executionArn: RECORDED_EXECUTION, startDate: new Date() });
      },
      act: async (world) => {
        const name = world.unique('dup');
        const input = { bucket: world.bucket, key: 'releases/web/web-1.0.0.tar.gz' };
        const first = await start(world, name, input);
        const second = await start(world, name, input);
        return [first.executionArn, second.executionArn];
      },
      assess: ([first, second]) => {
        expect(first).toEqual(expect.stringContaining(':execution:'));
        expect(second).toBe(first);
      },
    }),
    contractCase({
      name: 'refuses the same name with another input (ExecutionAlreadyExists)',
      recorded: (stubs) => {
        stubs.sfn
          .on(StartExecutionCommand)
          .resolvesOnce({ executionArn: RECORDED_EXECUTION, startDate: new Date() })
          .rejects(
            recordedError(
              'ExecutionAlreadyExists',
              `Execution Already Exists: '${RECORDED_EXECUTION}'`,
            ),
          );
      },
      act: async (world) => {
        const name = world.unique('other');
        await start(world, name, { n: 1 });
        return thrown(() => start(world, name, { n: 2 }));
      },
      assess: (error) => {
        expect(error.name).toBe('ExecutionAlreadyExists');
      },
    }),
    contractCase({
      name: 'refuses a name whose execution has ended, even with the same input',
      recorded: (stubs) => {
        stubs.sfn
          .on(StartExecutionCommand)
          .resolvesOnce({ executionArn: RECORDED_EXECUTION, startDate: new Date() })
          .rejects(
            recordedError(
              'ExecutionAlreadyExists',
              `Execution Already Exists: '${RECORDED_EXECUTION}'`,
            ),
          );
        stubs.sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
      },
      act: async (world) => {
        const name = world.unique('ended');
        const started = await start(world, name, { n: 1 });
        await world.clients.sfn.send(
          new StopExecutionCommand({ executionArn: started.executionArn ?? '' }),
        );
        return thrown(() => start(world, name, { n: 1 }));
      },
      assess: (error) => {
        expect(error.name).toBe('ExecutionAlreadyExists');
      },
    }),
    contractCase({
      name: 'lets a deployment take the lock of a holder whose execution was stopped',
      recorded: (stubs) => {
        stubs.sfn.on(StartExecutionCommand).resolves({ executionArn: RECORDED_EXECUTION });
        stubs.sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
        stubs.sfn
          .on(DescribeExecutionCommand)
          .resolves({ executionArn: RECORDED_EXECUTION, status: 'ABORTED' });
        stubs.dynamodb
          .on(PutItemCommand)
          .resolvesOnce({})
          .rejectsOnce(
            recordedError('ConditionalCheckFailedException', 'The conditional request failed'),
          )
          .resolves({});
        stubs.dynamodb.on(GetItemCommand).resolves({
          Item: {
            pk: { S: 'lock#web' },
            sk: { S: 'lock' },
            owner: { S: RECORDED_EXECUTION },
            expiresAt: { S: '2099-01-01T00:00:00.000Z' },
          },
        });
      },
      act: async (world) => {
        const app = world.target === 'recorded' ? 'web' : world.unique('held');
        const lock = new DeploymentLock({
          dynamodb: world.clients.dynamodb,
          sfn: world.clients.sfn,
          table: world.table,
          leaseSeconds: 600,
        });
        const holder = (await start(world, world.unique('holder'), {})).executionArn ?? '';
        await lock.acquire(app, holder);
        await world.clients.sfn.send(new StopExecutionCommand({ executionArn: holder }));
        const described = await world.clients.sfn.send(
          new DescribeExecutionCommand({ executionArn: holder }),
        );
        const taken = await lock.acquire(app, executionArnOf(world, world.unique('next')));
        return { status: described.status, taken };
      },
      assess: (result) => {
        expect(result.status).toBe('ABORTED');
        expect(result.taken.owner).toContain(':execution:');
      },
    }),
    contractCase({
      name: 'answers an unknown execution with ExecutionDoesNotExist',
      recorded: (stubs) => {
        stubs.sfn
          .on(DescribeExecutionCommand)
          .rejects(
            recordedError(
              'ExecutionDoesNotExist',
              `Execution Does Not Exist: '${RECORDED_EXECUTION}'`,
            ),
          );
      },
      act: (world) =>
        thrown(() =>
          world.clients.sfn.send(
            new DescribeExecutionCommand({ executionArn: executionArnOf(world, 'never-started') }),
          ),
        ),
      assess: (error) => {
        expect(error.name).toBe('ExecutionDoesNotExist');
      },
    }),
    contractCase({
      // Captured AWS answers: wolfeidau/buildkite-serverless-agent#37, gchq/sleeper#1869,
      // getmoto/moto#6438 (the model's length constraint, not the InvalidName error).
      name: 'refuses an execution name over 80 characters (ValidationException)',
      recorded: (stubs) => {
        stubs.sfn
          .on(StartExecutionCommand)
          .rejects(
            recordedError(
              'ValidationException',
              `1 validation error detected: Value '${'n'.repeat(81)}' at 'name' failed to ` +
                'satisfy constraint: Member must have length less than or equal to 80',
            ),
          );
      },
      act: (world) => thrown(() => start(world, 'n'.repeat(81), {})),
      assess: (error) => {
        expect(error.name).toBe('ValidationException');
      },
    }),
  ],
};
