import type {
  ManagedFleet,
  ManagedInstance,
  ScriptRequest,
  ScriptResult,
  ScriptRun,
} from '../control-plane/fleet-port.ts';
import type { FaultPlan } from '../faults/fault-plan.ts';

// The exit code the SSM agent reports for a process killed by SIGKILL (128 + 9).
const KILLED_EXIT_CODE = 137;

/**
 * The fleet as the control plane sees it through a fault plan: an offline instance reads as
 * stopped (its agent is unreachable, so invocations wait Delayed), a delayed delivery starts
 * the script later, and a kill ends the script midway as an OOM killer or a reboot would.
 */
export function withFleetFaults(fleet: ManagedFleet, plan: FaultPlan): ManagedFleet {
  return {
    instances: () =>
      fleet
        .instances()
        .map(
          (instance): ManagedInstance =>
            plan.isOffline(instance.id) ? { ...instance, state: 'stopped' } : instance,
        ),
    runScript(request) {
      const delayMs = plan.deliveryDelayFor(request.instanceId);
      const killAfterMs = plan.takeKill(request.instanceId);
      if (delayMs === 0 && killAfterMs === undefined) return fleet.runScript(request);
      return delayedRun(fleet, request, delayMs, killAfterMs);
    },
  };
}

function delayedRun(
  fleet: ManagedFleet,
  request: ScriptRequest,
  delayMs: number,
  killAfterMs: number | undefined,
): ScriptRun {
  let run: ScriptRun | undefined;
  let cancelled = false;
  let killed = false;
  const result = (async (): Promise<ScriptResult> => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (cancelled) return cancelledBeforeStart(request);
    run = fleet.runScript(request);
    if (killAfterMs !== undefined) {
      setTimeout(() => {
        killed = true;
        run?.cancel();
      }, killAfterMs);
    }
    const ended = await run.result;
    // A killed script is no cancel: the agent reports it like a timeout (exit 137).
    return killed && ended.outcome === 'cancelled'
      ? { ...ended, outcome: 'exited', exitCode: KILLED_EXIT_CODE }
      : ended;
  })();
  return {
    result,
    cancel() {
      cancelled = true;
      killed = false;
      run?.cancel();
    },
  };
}

function cancelledBeforeStart(request: ScriptRequest): ScriptResult {
  const now = new Date();
  return {
    outcome: 'cancelled',
    exitCode: -1,
    startedAt: now,
    endedAt: now,
    stdoutFile: '',
    stderrFile: '',
    stdoutHead: `cancelled before the script started on ${request.instanceId}\n`,
    stderrHead: '',
  };
}
