export type { ControlPlaneBehaviour, ControlPlaneTiming, InvocationKey } from './behaviour.ts';
export { DEFAULT_TIMING } from './behaviour.ts';
export type { ControlPlaneServices, ControlPlaneServicesOptions } from './create-services.ts';
export { createControlPlaneServices } from './create-services.ts';
export { compileEventPattern, matchesEventPattern } from './event-pattern.ts';
export type {
  EventBridgeEvent,
  EventRule,
  LocalEventBus,
  PublishInput,
} from './eventbridge/event-bus.ts';
export type {
  ManagedFleet,
  ManagedInstance,
  ScriptRequest,
  ScriptResult,
  ScriptRun,
} from './fleet-port.ts';
export type { ControlPlaneOptions, RunningControlPlane } from './server.ts';
export { startControlPlane } from './server.ts';
export type { OutputUrl, UploadOutput } from './ssm/invocation-output.ts';
