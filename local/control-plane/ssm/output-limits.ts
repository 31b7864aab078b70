/**
 * The output limits SSM applies to what its API shows of a command's output. The full output
 * is kept elsewhere (files, S3); these only shape the API fields.
 *
 * Source: amazon-ssm-agent agent/framework/processor/executer/iohandler/iohandler.go
 * (MaxStdoutLength 24000, MaxStderrLength 8000, MaximumPluginOutputSize 2500, the two markers
 * and TruncateOutput), and the SSM API model (StandardOutputContent max 24000,
 * StandardErrorContent max 8000, CommandPlugin.Output max 2500).
 */

export const MAX_STANDARD_OUTPUT = 24_000;
export const MAX_STANDARD_ERROR = 8_000;
export const MAX_PLUGIN_OUTPUT = 2_500;

export const OUTPUT_TRUNCATED_MARKER = '\n---Output truncated---';
export const ERROR_TRUNCATED_MARKER = '\n---Error truncated----';
const ERROR_TITLE = '\n----------ERROR-------\n';

/** StandardOutputContent: at most 24,000 characters, the marker counted within the limit. */
export function standardOutputContent(stdout: string): string {
  return cut(stdout, MAX_STANDARD_OUTPUT, OUTPUT_TRUNCATED_MARKER);
}

/** StandardErrorContent: at most 8,000 characters, the marker counted within the limit. */
export function standardErrorContent(stderr: string): string {
  return cut(stderr, MAX_STANDARD_ERROR, ERROR_TRUNCATED_MARKER);
}

function cut(text: string, limit: number, marker: string): string {
  if (text.length <= limit) return text;
  return text.slice(0, limit - marker.length) + marker;
}

/**
 * The combined form ListCommandInvocations shows as a plugin's Output: stdout, then an error
 * title and stderr when there is any, within `capacity`. The branches follow the agent's
 * TruncateOutput exactly, including its strict `<` on the fits-whole check.
 */
export function pluginOutput(stdout: string, stderr: string, capacity = MAX_PLUGIN_OUTPUT): string {
  const errorTitle = stderr.length > 0 ? ERROR_TITLE : '';
  const available = capacity - errorTitle.length;
  if (stdout.length + stderr.length < available) return stdout + errorTitle + stderr;

  // Go integer division in the agent: halves round down.
  const half = Math.floor(available / 2);
  if (stdout.length > half && stderr.length > half) {
    const each = Math.floor(
      (available - ERROR_TRUNCATED_MARKER.length - OUTPUT_TRUNCATED_MARKER.length) / 2,
    );
    return (
      stdout.slice(0, each) +
      OUTPUT_TRUNCATED_MARKER +
      errorTitle +
      stderr.slice(0, each) +
      ERROR_TRUNCATED_MARKER
    );
  }
  if (stdout.length < half) {
    const room = available - ERROR_TRUNCATED_MARKER.length - stdout.length;
    return stdout + errorTitle + stderr.slice(0, room) + ERROR_TRUNCATED_MARKER;
  }
  const room = available - OUTPUT_TRUNCATED_MARKER.length - stderr.length;
  return stdout.slice(0, room) + OUTPUT_TRUNCATED_MARKER + errorTitle + stderr;
}
