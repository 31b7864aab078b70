import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SendCommandCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countCommandsSent } from '../../local/demo/commands-sent.ts';
import { probeInstance } from '../../local/demo/instance-probe.ts';
import {
  busEvents,
  expectFailClosed,
  ignoredUploads,
  snapshot,
  waitForExecution,
  waitForState,
  waitForUpload,
} from './support/deployments.ts';
import { SecurityStack } from './support/security-stack.ts';

// Cases 13 and 14 of docs/SECURITY.md: what can still go wrong after verification said yes.
describe('between verification and install, on the local stack', () => {
  let h: SecurityStack;
  let sfn: SFNClient;
  let canary: string;
  let current: string;

  beforeAll(async () => {
    h = await SecurityStack.start('between');
    sfn = new SFNClient({});
    canary = join(h.work, 'CANARY');
    current = h.nextVersion();
    const artifact = await h.packageExample({ app: 'web', version: current });
    const run = await h.release({
      app: 'web',
      version: current,
      artifact,
      signature: await h.sign(artifact),
    });
    if (run.execution.status !== 'SUCCEEDED') throw new Error(`web ${current} did not deploy`);
  }, 60_000);

  afterAll(async () => {
    sfn.destroy();
    await h.close();
  });

  it('case 13: fails an artifact overwritten after verification on the host, fleet kept', async () => {
    // Prepare: hold the app's lock, so the deployment waits between verify and install
    await h.dynamodb.send(
      new PutItemCommand({
        TableName: 'signet-state',
        Item: {
          pk: { S: 'lock#web' },
          sk: { S: 'lock' },
          owner: { S: 'held-by-the-security-test' },
          expiresAt: { S: new Date(Date.now() + 600_000).toISOString() },
          expiresEpoch: { N: String(Math.floor(Date.now() / 1000) + 600) },
        },
      }),
    );
    const version = h.nextVersion();
    const artifact = await h.packageExample({ app: 'web', version });
    const before = await snapshot(h, 'web');
    await h.put(`releases/web/web-${version}.tar.gz.sig`, await h.sign(artifact));
    const upload = await h.put(`releases/web/web-${version}.tar.gz`, artifact);
    const started = await waitForUpload(h.stack, { app: 'web', version }, upload);
    await waitForState(started.history, 'AcquireLock');

    // Act: the stored bytes of that very object version change (a bucket or mirror lying)
    await replaceStoredBytes(join(h.stack.stateDir, 's3'), artifact, flipLastByte(artifact));
    await h.dynamodb.send(new DeleteItemCommand({ TableName: 'signet-state', Key: lockKey() }));
    const execution = await h.stack.stepFunctions.waitFor(started.executionArn);

    // Assess
    await expectFailClosed(h, before, execution, {
      error: 'ChecksumMismatchOnHost',
      outcome: 'RolledBack',
      commandsAllowed: true,
    });
    const served = await Promise.all(h.stack.instances.map(probeInstance));
    expect(served.map((i) => [i.version, i.healthy])).toEqual([[current, true]]);
  });

  describe('case 14: shell syntax in names', () => {
    const hostile = (tail: string) => [
      ['a semicolon', `1.9.0;touch ${tail}`],
      ['command substitution', `1.9.0$(touch ${tail})`],
      ['backticks', `1.9.0\`touch ${tail}\``],
      ['a newline', `1.9.0\ntouch ${tail}`],
      ['quotes', `1.9.0'"`],
      ['a space', '1.9.0 x'],
    ];

    it.each(hostile('CANARY'))(
      'refuses an operator version with %s as InputInvalid, before any command',
      async (_label, template) => {
        // Prepare
        const version = template.replace('CANARY', canary);
        const before = await snapshot(h, 'web');

        // Act
        const execution = await startManual({ app: 'web', version });

        // Assess: the refusal quotes the value, escaped, instead of echoing it
        const { alert } = await expectFailClosed(h, before, execution, { error: 'InputInvalid' });
        expect(existsSync(canary)).toBe(false);
        expect(execution.cause).toContain(JSON.stringify(version));
        expect(`${execution.cause} ${alert.detail.summary}`).not.toMatch(/[\r\n]/);
      },
    );

    it('fails an operator request whose app carries shell syntax, with an alert and no command', async () => {
      // Prepare
      const commands = await countCommandsSent(h.ssm);

      // Act
      const execution = await startManual({ app: `web;touch ${canary}`, version: '1.9.0' });

      // Assess: no valid app names an audit chain; Step Functions' own FAILED event alerts
      expect({ status: execution.status, error: execution.error }).toEqual({
        status: 'FAILED',
        error: 'InputInvalid',
      });
      await h.stack.idle();
      const statusEvents = (await busEvents(h.stack)).filter(
        (e) =>
          e['detail-type'] === 'Step Functions Execution Status Change' &&
          (e.detail as unknown as { executionArn: string; status: string }).executionArn ===
            execution.executionArn,
      );
      expect(statusEvents.map((e) => (e.detail as unknown as { status: string }).status)).toContain(
        'FAILED',
      );
      expect(await countCommandsSent(h.ssm)).toBe(commands);
      expect(existsSync(canary)).toBe(false);
    });

    it('starts nothing for an upload whose key carries shell syntax', async () => {
      // Prepare
      const key = `releases/web/web-1.9.0;touch ${canary}.tar.gz`;
      const before = h.stack.stepFunctions.executions().length;
      const ignoredBefore = await ignoredUploads(h);

      // Act
      await h.put(key, 'not even an archive');

      // Assess
      await expect.poll(() => ignoredUploads(h), { timeout: 5_000 }).toBe(ignoredBefore + 1);
      expect(h.stack.stepFunctions.executions()).toHaveLength(before);
      expect(existsSync(canary)).toBe(false);
    });

    it.each(hostile('CANARY'))(
      "refuses SendCommand with a version carrying %s by the document's allowedPattern",
      async (_label, template) => {
        // Prepare
        const commands = await countCommandsSent(h.ssm);

        // Act
        const sent = h.ssm.send(
          new SendCommandCommand({
            DocumentName: 'SignetDeploy',
            InstanceIds: h.stack.instances.map((i) => i.id),
            Parameters: {
              Action: ['health'],
              App: ['web'],
              Version: [template.replace('CANARY', canary)],
            },
          }),
        );

        // Assess
        await expect(sent).rejects.toMatchObject({ name: 'InvalidParameters' });
        expect(await countCommandsSent(h.ssm)).toBe(commands);
        expect(existsSync(canary)).toBe(false);
      },
    );
  });

  async function startManual(input: object) {
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: h.stack.stateMachineArn,
        name: `security-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
        input: JSON.stringify({ ...input, requestedBy: 'security-test' }),
      }),
    );
    const record = await waitForExecution(h.stack, started.executionArn ?? '');
    return h.stack.stepFunctions.waitFor(record.executionArn);
  }
});

function lockKey() {
  return { pk: { S: 'lock#web' }, sk: { S: 'lock' } };
}

function flipLastByte(bytes: Uint8Array): Uint8Array {
  const changed = Uint8Array.from(bytes);
  changed[changed.length - 1] = (changed[changed.length - 1] ?? 0) ^ 0x01;
  return changed;
}

/** Overwrites, in the local S3's own files, every stored copy of `original`. */
async function replaceStoredBytes(
  root: string,
  original: Uint8Array,
  replacement: Uint8Array,
): Promise<void> {
  let replaced = 0;
  for (const entry of await readdir(root, { recursive: true })) {
    const path = join(root, entry);
    const info = await stat(path);
    if (!info.isFile() || info.size !== original.length) continue;
    if (Buffer.compare(await readFile(path), original) !== 0) continue;
    await writeFile(path, replacement);
    replaced += 1;
  }
  if (replaced === 0) throw new Error('the local S3 holds no copy of the artifact');
}
