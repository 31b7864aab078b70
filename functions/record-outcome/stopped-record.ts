import type { AuditRecord } from '../../core/audit-record.ts';
import { parseExecutionInput } from '../../core/deployment-request.ts';
import { parseArtifactKey } from '../../core/release-names.ts';

/** What DescribeExecution says about an execution that ended without reaching RecordOutcome. */
export interface StoppedExecution {
  readonly executionArn: string;
  readonly status: 'ABORTED' | 'TIMED_OUT';
  readonly input: string | null;
  readonly startDate: Date | null;
  readonly stopDate: Date | null;
  readonly error: string | null;
  readonly cause: string | null;
}

/** What the execution's input asked for, read without any AWS call. */
interface Asked {
  readonly app: string | null;
  readonly version: string | null;
  readonly intent: AuditRecord['intent'];
  readonly requestedBy: string | null;
  readonly source: string | null;
  readonly bucket: string | null;
  readonly key: string | null;
  readonly versionId: string | null;
}

const NOTHING_ASKED: Asked = {
  app: null,
  version: null,
  intent: null,
  requestedBy: null,
  source: null,
  bucket: null,
  key: null,
  versionId: null,
};

/**
 * Reads app and version from the input as NormalizeInput would, but from the input alone: the
 * object's key routes (it is what the deployment was started for), nothing was verified.
 */
export function askedBy(input: string | null): Asked {
  try {
    const parsed = parseExecutionInput(JSON.parse(input ?? 'null'));
    if (parsed.kind === 'object') {
      const name = parseArtifactKey(parsed.key);
      return {
        app: name?.app ?? null,
        version: name?.version ?? null,
        intent: parsed.intent,
        requestedBy: parsed.requestedBy,
        source: parsed.source,
        bucket: parsed.bucket,
        key: parsed.key,
        versionId: parsed.versionId,
      };
    }
    return {
      ...NOTHING_ASKED,
      app: parsed.app,
      version: parsed.kind === 'app-version' ? parsed.version : null,
      intent: parsed.kind === 'rollback' ? 'rollback' : 'redeploy',
      requestedBy: parsed.requestedBy,
      source: 'manual',
    };
  } catch {
    // An input NormalizeInput would refuse: nothing in it can be trusted to name an app.
    return NOTHING_ASKED;
  }
}

/**
 * The one audit entry of a stopped execution. Its state died with it, so the entry says what
 * was asked and how it ended, not how far it got.
 * Limitation: the instances it touched are not listed (they are in its execution history).
 */
export function stoppedRecord(stopped: StoppedExecution, now: Date): AuditRecord {
  const asked = askedBy(stopped.input);
  const how =
    stopped.status === 'ABORTED'
      ? 'was stopped (StopExecution or the console) before it finished'
      : "ran past the state machine's TimeoutSeconds";
  const detail = [stopped.error, stopped.cause].filter((part) => part).join(': ');
  return {
    app: asked.app,
    execution: stopped.executionArn,
    intent: asked.intent,
    requestedBy: asked.requestedBy,
    source: asked.source,
    artifact: {
      version: asked.version,
      bucket: asked.bucket,
      key: asked.key,
      versionId: asked.versionId,
      sha256: null,
      size: null,
      signer: null,
      signerType: null,
      signerLabel: null,
    },
    fromVersion: null,
    instances: [],
    checks: [{ name: 'execution', result: 'failed', detail: stopped.status }],
    outcome: 'Failed',
    error: 'ExecutionStopped',
    cause: `The execution ${how} (${stopped.status})${detail === '' ? '' : `: ${detail}`}`,
    startedAt: stopped.startDate?.toISOString() ?? null,
    finishedAt: (stopped.stopDate ?? now).toISOString(),
  };
}
