import { describe, expect, it } from 'vitest';
import type {
  ManagedFleet,
  ScriptRequest,
  ScriptResult,
} from '../../local/control-plane/fleet-port.ts';
import type { JsonService } from '../../local/control-plane/service-types.ts';
import { withSsmFaults } from '../../local/control-plane/ssm/faulty-ssm.ts';
import { FaultPlan } from '../../local/faults/fault-plan.ts';
import { withLambdaFaults } from '../../local/faults/faulty-lambdas.ts';
import { withFleetFaults } from '../../local/instances/faulty-fleet.ts';

const request: ScriptRequest = {
  instanceId: 'i-1',
  commandId: 'c-1',
  stepPath: ['deploy'],
  commands: ['true'],
  workingDirectory: '',
  env: {},
  executionTimeoutMs: 60_000,
};

/** A fleet of two whose scripts run until cancelled, or end after 5 s with exit 0. */
function fakeFleet(): ManagedFleet & { started: number[] } {
  const started: number[] = [];
  const at = new Date(0);
  const instance = (id: string) => ({
    id,
    name: id,
    tags: {},
    state: 'running' as const,
    launchTime: at,
    stateChangedAt: at,
  });
  return {
    started,
    instances: () => [instance('i-1'), instance('i-2')],
    runScript() {
      started.push(Date.now());
      let finish: (result: ScriptResult) => void = () => undefined;
      const result = new Promise<ScriptResult>((resolve) => {
        finish = resolve;
      });
      const end = (outcome: ScriptResult['outcome'], exitCode: number) =>
        finish({
          outcome,
          exitCode,
          startedAt: at,
          endedAt: at,
          stdoutFile: '',
          stderrFile: '',
          stdoutHead: '',
          stderrHead: '',
        });
      const timer = setTimeout(() => end('exited', 0), 5000);
      return {
        result,
        cancel: () => {
          clearTimeout(timer);
          end('cancelled', 137);
        },
      };
    },
  };
}

function fakeSsm(): JsonService {
  return {
    protocol: 'json',
    targetPrefix: 'AmazonSSM',
    operations: {
      ListCommandInvocations: async () => ({
        CommandInvocations: [
          { CommandId: 'c-1', InstanceId: 'i-1', Status: 'InProgress' },
          { CommandId: 'c-1', InstanceId: 'i-2', Status: 'InProgress' },
        ],
      }),
      GetCommandInvocation: async (input) => ({ InstanceId: input['InstanceId'] ?? '' }),
      SendCommand: async () => ({ Command: { CommandId: 'c-1' } }),
    },
  };
}

describe('fault injection', () => {
  it('throttles an SSM operation the given number of times, then answers again', async () => {
    // Prepare
    const plan = new FaultPlan();
    const ssm = withSsmFaults(fakeSsm(), plan);
    plan.throttle('SendCommand', 2);
    const send = () => (ssm.operations['SendCommand'] as (i: object) => Promise<unknown>)({});

    // Act
    const answers = await Promise.allSettled([send(), send(), send()]);

    // Assess
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(answers[0]).toMatchObject({ reason: { code: 'ThrottlingException', status: 400 } });
    expect(plan.injected()).toEqual([
      { kind: 'throttle', target: 'SendCommand' },
      { kind: 'throttle', target: 'SendCommand' },
    ]);
  });

  it('hides an instance’s invocation for the given number of polls', async () => {
    // Prepare
    const plan = new FaultPlan();
    const ssm = withSsmFaults(fakeSsm(), plan);
    plan.hideInvocation('i-2', 2);
    const list = ssm.operations['ListCommandInvocations'] as (i: object) => Promise<{
      CommandInvocations: { InstanceId: string }[];
    }>;
    const get = ssm.operations['GetCommandInvocation'] as (i: object) => Promise<unknown>;

    // Act
    const polls: string[][] = [];
    for (let n = 0; n < 3; n += 1) {
      const page = await list({ CommandId: 'c-1' });
      polls.push(page.CommandInvocations.map((row) => row.InstanceId));
    }

    // Assess
    expect(polls).toEqual([['i-1'], ['i-1'], ['i-1', 'i-2']]);
    await expect(get({ CommandId: 'c-9', InstanceId: 'i-2' })).rejects.toMatchObject({
      code: 'InvocationDoesNotExist',
    });
  });

  it('shows an offline instance as stopped to the control plane until it is back', () => {
    // Prepare
    const plan = new FaultPlan();
    const fleet = withFleetFaults(fakeFleet(), plan);

    // Act
    plan.offline('i-2');
    const offline = fleet.instances().map((i) => i.state);
    plan.online('i-2');
    const online = fleet.instances().map((i) => i.state);

    // Assess
    expect(offline).toEqual(['running', 'stopped']);
    expect(online).toEqual(['running', 'running']);
  });

  it('kills the next script midway with exit 137, as the agent reports a killed process', async () => {
    // Prepare
    const plan = new FaultPlan();
    const fleet = withFleetFaults(fakeFleet(), plan);
    plan.killMidway('i-1', 30);

    // Act
    const first = await fleet.runScript(request).result;
    const second = fleet.runScript(request);
    second.cancel();
    const cancelled = await second.result;

    // Assess
    expect(first).toMatchObject({ outcome: 'exited', exitCode: 137 });
    expect(cancelled.outcome).toBe('cancelled');
  });

  it('delays the start of a script on a slow instance', async () => {
    // Prepare
    const plan = new FaultPlan();
    const inner = fakeFleet();
    const fleet = withFleetFaults(inner, plan);
    plan.delayDelivery('i-1', 150);

    // Act
    const sent = Date.now();
    const run = fleet.runScript(request);
    await new Promise((resolve) => setTimeout(resolve, 250));
    run.cancel();
    await run.result;

    // Assess
    expect(inner.started).toHaveLength(1);
    expect((inner.started[0] ?? 0) - sent).toBeGreaterThanOrEqual(140);
  });

  it('loses a Lambda invocation as Lambda.ServiceException, which every Task retries', async () => {
    // Prepare
    const plan = new FaultPlan();
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:signet-check-command';
    const functions = withLambdaFaults(new Map([[arn, async () => 'ran']]), plan, (a) =>
      a.replace(/^.*:function:signet-/, ''),
    );
    plan.loseLambda('check-command', 1);
    const invoke = functions.get(arn) as (input: unknown) => Promise<unknown>;

    // Act / Assess
    await expect(invoke({})).rejects.toMatchObject({ name: 'Lambda.ServiceException' });
    await expect(invoke({})).resolves.toBe('ran');
  });
});
