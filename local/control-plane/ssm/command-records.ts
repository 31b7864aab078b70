import type { ScriptRun } from '../fleet-port.ts';
import type { PreparedStep } from './document-parameters.ts';
import type { InvocationDetails } from './invocation-status.ts';

/** One instance's copy of a command, as the control plane tracks it. */
export interface InvocationRecord {
  readonly commandId: string;
  readonly instanceId: string;
  readonly instanceName: string;
  readonly requestedAt: Date;
  /** Epoch ms before which the API acts as if the invocation did not exist yet. */
  readonly visibleAt: number;
  /** Epoch ms after which an undelivered invocation is DeliveryTimedOut. */
  readonly deliveryDeadline: number;
  details: InvocationDetails;
  /** The script's exit code; -1 until it ran. */
  responseCode: number;
  startedAt: Date | undefined;
  endedAt: Date | undefined;
  /** What the API shows: already cut to 24,000 / 8,000 characters with the agent's markers. */
  standardOutput: string;
  standardError: string;
  /** The combined 2,500-character form ListCommandInvocations shows. */
  pluginOutput: string;
  standardOutputUrl: string;
  standardErrorUrl: string;
  run: ScriptRun | undefined;
}

/** A SendCommand request and everything that followed from it. */
export interface CommandRecord {
  readonly commandId: string;
  readonly documentName: string;
  readonly documentVersion: string;
  readonly comment: string;
  /** The parameters as the request gave them (AWS echoes those, not the defaults). */
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  readonly instanceIds: readonly string[];
  readonly targets: readonly { readonly Key: string; readonly Values: readonly string[] }[];
  readonly requestedAt: Date;
  readonly expiresAfter: Date;
  readonly timeoutSeconds: number;
  readonly outputS3Region: string;
  readonly outputS3BucketName: string;
  readonly outputS3KeyPrefix: string;
  readonly maxConcurrency: string;
  readonly maxErrors: string;
  readonly step: PreparedStep;
  readonly invocations: InvocationRecord[];
  cancelRequested: boolean;
}
