/**
 * Every Lambda Signet deploys, in one list that the bundler (esbuild.config.ts), the CDK stack
 * (infra/) and local mode (local/) all read, so a function cannot exist in one and be missing
 * from another.
 */
export interface LambdaFunctionSpec {
  /** Folder under functions/ and the bundle's name. */
  readonly id: string;
  /** The `${...}` name the state machine file uses for this function's ARN; null for the trigger. */
  readonly arnSubstitution: string | null;
  readonly description: string;
  /** Lambda timeout; the ASL's TimeoutSeconds for the Task is the same or lower. */
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

export const LAMBDA_FUNCTIONS: readonly LambdaFunctionSpec[] = [
  {
    id: 'start-deployment',
    arnSubstitution: null,
    description: 'Starts a deployment, named after the object version, for an uploaded artifact',
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  {
    id: 'normalize-input',
    arnSubstitution: 'NormalizeInputFunctionArn',
    description: 'Turns any accepted execution input into one pinned deployment request',
    timeoutSeconds: 60,
    memoryMb: 256,
  },
  {
    id: 'acquire-lock',
    arnSubstitution: 'AcquireLockFunctionArn',
    description: "Takes the app's deployment lock",
    timeoutSeconds: 60,
    memoryMb: 256,
  },
  {
    id: 'verify-artifact',
    arnSubstitution: 'VerifyArtifactFunctionArn',
    description: 'Verifies signature, SHA-256, archive entries and signed release metadata',
    timeoutSeconds: 900,
    // More memory buys more CPU on Lambda, and verification is CPU-bound (hashing, inflating).
    memoryMb: 1769,
  },
  {
    id: 'resolve-targets',
    arnSubstitution: 'ResolveTargetsFunctionArn',
    description: "Finds the app's reachable instances and plans the batches",
    timeoutSeconds: 60,
    memoryMb: 256,
  },
  {
    id: 'start-command',
    arnSubstitution: 'StartCommandFunctionArn',
    description: 'Sends an install, health or rollback command through SSM Run Command',
    timeoutSeconds: 60,
    memoryMb: 256,
  },
  {
    id: 'check-command',
    arnSubstitution: 'CheckCommandFunctionArn',
    description: "Polls a phase's SSM commands once",
    timeoutSeconds: 60,
    memoryMb: 256,
  },
  {
    id: 'record-release',
    arnSubstitution: 'RecordReleaseFunctionArn',
    description: "Writes the app's release record (current and previous)",
    timeoutSeconds: 60,
    memoryMb: 256,
  },
  {
    id: 'record-outcome',
    arnSubstitution: 'RecordOutcomeFunctionArn',
    description: "Decides the outcome and appends the execution's audit entry",
    timeoutSeconds: 60,
    memoryMb: 256,
  },
  {
    id: 'release-lock',
    arnSubstitution: 'ReleaseLockFunctionArn',
    description: "Frees the app's deployment lock",
    timeoutSeconds: 60,
    memoryMb: 256,
  },
  {
    id: 'emit-event',
    arnSubstitution: 'EmitEventFunctionArn',
    description: "Puts the deployment's outcome on EventBridge",
    timeoutSeconds: 60,
    memoryMb: 256,
  },
];

export function handlerEntry(spec: LambdaFunctionSpec): string {
  return `functions/${spec.id}/handler.ts`;
}
