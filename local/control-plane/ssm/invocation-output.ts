import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { ScriptResult } from '../fleet-port.ts';
import type { CommandRecord, InvocationRecord } from './command-records.ts';
import { pluginOutput, standardErrorContent, standardOutputContent } from './output-limits.ts';

/** Puts one object into S3 (local S3 in local mode); the SSM agent's upload of full output. */
export type UploadOutput = (bucket: string, key: string, body: Buffer) => Promise<void>;
/** The URL the API shows for an uploaded output object. */
export type OutputUrl = (region: string, bucket: string, key: string) => string;

export const awsOutputUrl: OutputUrl = (region, bucket, key) =>
  `https://s3.${region}.amazonaws.com/${bucket}/${key}`;

export interface OutputSinks {
  /** Where the full output is kept: <stateDir>/command-output. */
  readonly outputDir: string;
  readonly uploadOutput: UploadOutput | undefined;
  readonly outputUrl: OutputUrl;
}

/**
 * Records a finished script's output on its invocation: the API's truncated forms, the full
 * streams copied to `<outputDir>/<commandId>/<instanceId>/<step>/{stdout,stderr}`, and, when
 * the command named an output bucket, both streams uploaded at
 * `<prefix>/<commandId>/<instanceId>/awsrunShellScript/<step>/{stdout,stderr}` (the agent's
 * layout: it joins the prefix, ids and the plugin name with its colon removed). Like the agent,
 * an empty stream is not uploaded, and a failed upload does not change the invocation's status.
 */
export async function recordOutput(
  command: CommandRecord,
  invocation: InvocationRecord,
  result: ScriptResult,
  sinks: OutputSinks,
): Promise<void> {
  const urls = { stdout: '', stderr: '' };
  try {
    await keepAndUpload(command, invocation, result, sinks, urls);
  } finally {
    // Set together at the end, so no reader sees output without the status that goes with it,
    // and set even when keeping a copy failed: the API fields come from memory.
    invocation.standardOutput = standardOutputContent(result.stdoutHead);
    invocation.standardError = standardErrorContent(result.stderrHead);
    invocation.pluginOutput = pluginOutput(result.stdoutHead, result.stderrHead);
    invocation.standardOutputUrl = urls.stdout;
    invocation.standardErrorUrl = urls.stderr;
  }
}

async function keepAndUpload(
  command: CommandRecord,
  invocation: InvocationRecord,
  result: ScriptResult,
  sinks: OutputSinks,
  urls: { stdout: string; stderr: string },
): Promise<void> {
  const step = command.step.stepPath[command.step.stepPath.length - 1] ?? 'step';
  const keptDir = join(sinks.outputDir, command.commandId, invocation.instanceId, step);
  await mkdir(keptDir, { recursive: true });
  await copyFile(result.stdoutFile, join(keptDir, 'stdout'));
  await copyFile(result.stderrFile, join(keptDir, 'stderr'));
  if (command.outputS3BucketName === '') return;

  const bucket = command.outputS3BucketName;
  const keyOf = (stream: 'stdout' | 'stderr') =>
    posix.join(
      command.outputS3KeyPrefix,
      command.commandId,
      invocation.instanceId,
      'awsrunShellScript',
      step,
      stream,
    );
  for (const [stream, file] of [
    ['stdout', result.stdoutFile],
    ['stderr', result.stderrFile],
  ] as const) {
    urls[stream] = sinks.outputUrl(command.outputS3Region, bucket, keyOf(stream));
    const body = await readFile(file);
    if (body.length === 0 || sinks.uploadOutput === undefined) continue;
    // Limitation: a failed upload is dropped, as the agent only logs it; nothing reports it.
    await sinks.uploadOutput(bucket, keyOf(stream), body).catch(() => undefined);
  }
}
