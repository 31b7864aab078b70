import { readFile } from 'node:fs/promises';

/** Whether Signet put a failure event for this execution on the local event bus. */
export async function failureEventFor(eventsFile: string, executionArn: string): Promise<boolean> {
  const text = await readFile(eventsFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(
      (line) =>
        JSON.parse(line) as { source?: string; 'detail-type'?: string; resources?: string[] },
    )
    .some(
      (event) =>
        event.source === 'signet' &&
        event['detail-type'] !== 'Signet Deployment Succeeded' &&
        (event.resources ?? []).includes(executionArn),
    );
}
