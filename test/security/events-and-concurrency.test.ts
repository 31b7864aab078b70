import { readFile } from 'node:fs/promises';
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { ListCommandsCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExecutionInput } from '../../core/deployment-request.ts';
import { artifactKey } from '../../core/release-names.ts';
import { countCommandsSent } from '../../local/demo/commands-sent.ts';
import {
  busEvents,
  expectDeployed,
  expectFailClosed,
  ignoredUploads,
  snapshot,
  waitForState,
  waitForUpload,
} from './support/deployments.ts';
import { SecurityStack } from './support/security-stack.ts';

// Cases 15 to 18 of docs/SECURITY.md: what S3 and EventBridge deliver, and when.
const LOCK_KEY = { pk: { S: 'lock#web' }, sk: { S: 'lock' } };
describe('events and concurrency, on the local stack', () => {
  let h: SecurityStack;

  beforeAll(async () => {
    h = await SecurityStack.start('events');
  }, 60_000);

  afterAll(async () => {
    await h.close();
  });

  /** The EventBridge event the local S3 published for this upload. */
  async function eventFor(key: string, versionId: string | null) {
    await expect
      .poll(async () => (await objectEvents(key, versionId)).length, { timeout: 5_000 })
      .toBeGreaterThan(0);
    return (await objectEvents(key, versionId))[0];
  }

  async function objectEvents(key: string, versionId: string | null) {
    return (await busEvents(h.stack)).filter((event) => {
      const detail = event.detail as unknown as {
        object?: { key?: string; 'version-id'?: string };
      };
      return (
        event.source === 'aws.s3' &&
        detail.object?.key === key &&
        (versionId === null || detail.object['version-id'] === versionId)
      );
    });
  }

  async function signedRelease(version: string) {
    const artifact = await h.packageExample({ app: 'web', version });
    return { artifact, signature: await h.sign(artifact) };
  }

  describe('case 15: keys as each event shape carries them', () => {
    it.each([
      ['a space', 'uploads/with space.txt'],
      ["a '+'", 'uploads/one+two.txt'],
      ["a ':'", 'uploads/time 12:30.txt'],
      ["a '%'", 'uploads/100%25 sure%.txt'],
      ['unicode', 'uploads/café-ünïcødé-雪.txt'],
    ])('reaches the object whose key has %s by both routes, byte for byte', async (_label, key) => {
      // Prepare
      const body = `the object at ${key}`;
      const upload = await h.put(key, body);
      const eventBridge = await eventFor(key, upload.versionId);
      // An S3 notification record form-encodes the key, as S3 does for SQS, SNS and Lambda.
      const formEncoded = encodeURIComponent(key).replaceAll('%20', '+').replaceAll('%2F', '/');
      const notification = {
        Records: [
          {
            eventSource: 'aws:s3',
            eventName: 'ObjectCreated:Put',
            s3: {
              bucket: { name: h.stack.bucket },
              object: { key: formEncoded, versionId: upload.versionId, eTag: upload.etag },
            },
          },
        ],
      };

      // Act
      const routes = [parseExecutionInput(eventBridge), parseExecutionInput(notification)];

      // Assess
      for (const route of routes) {
        expect(route).toMatchObject({ kind: 'object', key, versionId: upload.versionId });
        const got = await h.s3.send(
          new GetObjectCommand({
            Bucket: h.stack.bucket,
            Key: key,
            VersionId: upload.versionId ?? undefined,
          }),
        );
        expect(await got.Body?.transformToString()).toBe(body);
      }
    });

    it('starts nothing for a key with a literal %2E: an EventBridge key is decoded once', async () => {
      // Prepare: decoded twice, this key would name the release web 1.50.0's artifact
      const before = h.stack.stepFunctions.executions().length;
      const ignored = await ignoredUploads(h);

      // Act
      await h.put('releases/web/web-1.50.0%2Etar.gz', 'not the artifact');

      // Assess
      await expect.poll(() => ignoredUploads(h), { timeout: 5_000 }).toBe(ignored + 1);
      expect(h.stack.stepFunctions.executions()).toHaveLength(before);
    });
  });

  describe('case 16: two releases of one app seconds apart', () => {
    it('runs the second only after the first, never interleaving their commands', async () => {
      // Prepare
      const [first, second] = [h.nextVersion(), h.nextVersion()];
      const releases = [await signedRelease(first), await signedRelease(second)] as const;

      // Act: the second is uploaded while the first holds the lock
      const firstRun = await h.upload({ app: 'web', version: first, ...releases[0] });
      await waitForState(firstRun.started.history, 'ResolveTargets');
      const secondRun = h.release({ app: 'web', version: second, ...releases[1] });
      const ends = [
        await h.stack.stepFunctions.waitFor(firstRun.started.executionArn),
        (await secondRun).execution,
      ];

      // Assess
      expect(ends.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      const commands = await listCommands();
      const sentFor = (version: string) =>
        commands.filter((c) => c.comment.endsWith(` web ${version}`)).map((c) => c.at);
      const [a, b] = [sentFor(first), sentFor(second)];
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
      expect(Math.max(...a)).toBeLessThanOrEqual(Math.min(...b));
      const waited = ends[1]?.history.filter((e) =>
        JSON.stringify(e).includes('DeploymentInProgress'),
      );
      expect(waited?.length).toBeGreaterThan(0);
    });

    it('ends DeploymentInProgress when the lock stays held past the bounded wait', async () => {
      // Prepare: a live holder (not an execution, so never seen to end) for the whole wait
      await putLock('a-deployment-that-never-ends', Math.floor(Date.now() / 1000) + 600);
      const version = h.nextVersion();
      const release = await signedRelease(version);
      const before = await snapshot(h, 'web');

      // Act: 120 looks at the lock, 50 ms apart locally (15 s apart in AWS)
      const run = await h.release({ app: 'web', version, ...release });
      await h.dynamodb.send(new DeleteItemCommand({ TableName: 'signet-state', Key: LOCK_KEY }));

      // Assess
      await expectFailClosed(h, before, run.execution, {
        error: 'DeploymentInProgress',
        outcome: 'Failed',
      });
      expect(run.execution.cause).toContain('a-deployment-that-never-ends');
    });

    it('reclaims a lock whose holder died once its lease is over', async () => {
      // Prepare: a lock left behind by a holder that never released it
      await putLock('a-holder-that-died', Math.floor(Date.now() / 1000) - 60);
      const version = h.nextVersion();

      // Act
      const run = await h.release({ app: 'web', version, ...(await signedRelease(version)) });

      // Assess
      await expectDeployed(h, 'web', run.execution, version);
    });
  });

  it('case 17: deploys once when the same S3 event is delivered twice', async () => {
    // Prepare
    const version = h.nextVersion();
    const { artifact, signature } = await signedRelease(version);
    const run = await h.release({ app: 'web', version, artifact, signature });
    const event = await eventFor(artifactKey({ app: 'web', version }), run.upload.versionId);
    const commands = await countCommandsSent(h.ssm);
    const executions = h.stack.stepFunctions.executions().length;

    // Act: S3 delivers at least once; here, once more
    await h.stack.eventBus.publish({
      source: event?.source ?? '',
      detailType: event?.['detail-type'] ?? '',
      detail: event?.detail,
      resources: event?.resources ?? [],
    });
    await h.stack.idle();

    // Assess
    const logs = await readFile(h.stack.paths.lambdaLogs, 'utf8');
    expect(logs).toContain('duplicate delivery, deployment already started');
    expect(h.stack.stepFunctions.executions()).toHaveLength(executions);
    expect(await countCommandsSent(h.ssm)).toBe(commands);
    await waitForUpload(h.stack, { app: 'web', version }, run.upload);
  });

  describe('case 18: objects that are not releases', () => {
    it.each([
      ['a signature alone', (v: string) => `${artifactKey({ app: 'web', version: v })}.sig`],
      ['a README', () => 'releases/web/README.md'],
      ['a file outside releases/', () => 'notes/web-9.0.0.tar.gz'],
    ])('starts nothing and alerts nobody for %s', async (_label, keyFor) => {
      // Prepare
      const key = keyFor(h.nextVersion());
      const before = await quietState();

      // Act
      const upload = await h.put(key, 'not a release');
      await eventFor(key, upload.versionId);
      await h.stack.idle();

      // Assess
      expect(await quietState()).toEqual(before);
    });

    it('starts nothing and alerts nobody for a delete marker or an Object Deleted event', async () => {
      // Prepare
      const version = h.nextVersion();
      const key = artifactKey({ app: 'web', version });
      await h.put(key, 'about to be deleted');
      await eventFor(key, null);
      await h.stack.idle();
      const before = await quietState();

      // Act
      await h.s3.send(new DeleteObjectCommand({ Bucket: h.stack.bucket, Key: key }));
      await h.stack.eventBus.publish({
        source: 'aws.s3',
        detailType: 'Object Deleted',
        detail: {
          bucket: { name: h.stack.bucket },
          object: { key },
          'deletion-type': 'Delete Marker Created',
        },
        resources: [],
      });
      await h.stack.idle();

      // Assess
      expect(await quietState()).toEqual(before);
    });
  });

  async function putLock(owner: string, expiresEpoch: number): Promise<void> {
    await h.dynamodb.send(
      new PutItemCommand({
        TableName: 'signet-state',
        Item: {
          ...LOCK_KEY,
          owner: { S: owner },
          expiresAt: { S: new Date(expiresEpoch * 1000).toISOString() },
          expiresEpoch: { N: String(expiresEpoch) },
        },
      }),
    );
  }

  /** Executions started, commands sent and Signet events so far: none may change. */
  async function quietState() {
    return {
      executions: h.stack.stepFunctions.executions().length,
      commands: await countCommandsSent(h.ssm),
      signetEvents: (await busEvents(h.stack)).filter((e) => e.source !== 'aws.s3').length,
    };
  }

  async function listCommands(): Promise<{ comment: string; at: number }[]> {
    const result = await h.ssm.send(new ListCommandsCommand({ MaxResults: 50 }));
    return (result.Commands ?? []).map((c) => ({
      comment: c.Comment ?? '',
      at: c.RequestedDateTime?.getTime() ?? 0,
    }));
  }
});
