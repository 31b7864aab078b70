import { ListCommandsCommand, type SSMClient } from '@aws-sdk/client-ssm';

/**
 * How many Run Commands the control plane has ever accepted: a refused release must leave this
 * number where it was, which is how the demo and the tests show no instance was touched.
 */
export async function countCommandsSent(ssm: SSMClient): Promise<number> {
  let count = 0;
  let nextToken: string | undefined;
  do {
    const page = await ssm.send(
      new ListCommandsCommand({ MaxResults: 50, ...(nextToken ? { NextToken: nextToken } : {}) }),
    );
    count += page.Commands?.length ?? 0;
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return count;
}
