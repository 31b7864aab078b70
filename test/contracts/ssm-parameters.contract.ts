import {
  GetParameterCommand,
  GetParametersByPathCommand,
  PutParameterCommand,
} from '@aws-sdk/client-ssm';
import { expect } from 'vitest';
import { loadAppConfig, loadTrustedKeys } from '../../core/app-config-store.ts';
import {
  emptyRecord,
  promoteRelease,
  readReleaseRecord,
  writeReleaseRecord,
} from '../../core/release-record.ts';
import { type Contract, type ContractWorld, contractCase, thrown } from './contract.ts';
import { recordedError } from './recorded-answers.ts';

// Sources: SSM API Reference, GetParameter, PutParameter, GetParametersByPath (MaxResults 1-10,
// default 10); botocore ssm service-2.json error shapes; "Standard tier parameters support a
// maximum parameter value of 4096 characters" (SSM user guide, parameter tiers).

const RELEASE = {
  version: '1.0.0',
  bucket: 'signet-artifacts',
  key: 'releases/web/web-1.0.0.tar.gz',
  versionId: 'v1',
  etag: 'e1',
  sha256: 'a'.repeat(64),
  signer: 'F'.repeat(40),
  signatureKey: 'releases/web/web-1.0.0.tar.gz.sig',
  signatureVersionId: 's1',
  deployedAt: '2026-01-01T00:00:00.000Z',
  execution: 'arn:aws:states:us-east-1:123456789012:execution:signet-deploy:web-1',
};

/** A prefix of its own per case, so live targets never share parameters between cases. */
const prefixOf = (world: ContractWorld, what: string) =>
  world.target === 'recorded' ? '/signet' : `/${world.unique(what)}`;

export const ssmParametersContract: Contract = {
  api: 'SSM Parameter Store',
  operations: ['GetParameter', 'PutParameter', 'GetParametersByPath'],
  cases: [
    contractCase({
      name: 'reads a release record never written as empty (ParameterNotFound)',
      recorded: (stubs) => {
        stubs.ssm.on(GetParameterCommand).rejects(recordedError('ParameterNotFound', ''));
      },
      act: (world) => readReleaseRecord(world.clients.ssm, prefixOf(world, 'none'), 'web'),
      assess: (record) => {
        expect(record).toEqual(emptyRecord('web'));
      },
    }),
    contractCase({
      name: 'overwrites the release record, each put a new version',
      recorded: (stubs) => {
        const second = promoteRelease(promoteRelease(emptyRecord('web'), RELEASE), {
          ...RELEASE,
          version: '1.1.0',
        });
        stubs.ssm
          .on(PutParameterCommand)
          .resolvesOnce({ Version: 1, Tier: 'Standard' })
          .resolvesOnce({ Version: 2, Tier: 'Standard' });
        stubs.ssm.on(GetParameterCommand).resolves({
          Parameter: {
            Name: '/signet/apps/web/release',
            Type: 'String',
            Value: JSON.stringify(second),
            Version: 2,
            DataType: 'text',
          },
        });
      },
      act: async (world) => {
        const prefix = prefixOf(world, 'record');
        const first = promoteRelease(emptyRecord('web'), RELEASE);
        await writeReleaseRecord(world.clients.ssm, prefix, first);
        await writeReleaseRecord(
          world.clients.ssm,
          prefix,
          promoteRelease(first, { ...RELEASE, version: '1.1.0' }),
        );
        const raw = await world.clients.ssm.send(
          new GetParameterCommand({ Name: `${prefix}/apps/web/release` }),
        );
        const record = await readReleaseRecord(world.clients.ssm, prefix, 'web');
        return { version: raw.Parameter?.Version, type: raw.Parameter?.Type, record };
      },
      assess: (result) => {
        expect(result.version).toBe(2);
        expect(result.type).toBe('String');
        expect(result.record.current?.version).toBe('1.1.0');
        expect(result.record.previous?.version).toBe('1.0.0');
        expect(result.record.highestVersion).toBe('1.1.0');
      },
    }),
    contractCase({
      name: 'refuses to replace a parameter without Overwrite (ParameterAlreadyExists)',
      recorded: (stubs) => {
        stubs.ssm
          .on(PutParameterCommand)
          .resolvesOnce({ Version: 1, Tier: 'Standard' })
          .rejectsOnce(
            recordedError('ParameterAlreadyExists', 'The parameter already exists.', 400),
          );
      },
      act: async (world) => {
        const name = `${prefixOf(world, 'twice')}/apps/web/config`;
        const input = { Name: name, Value: '{}', Type: 'String' as const };
        await world.clients.ssm.send(new PutParameterCommand(input));
        return thrown(() => world.clients.ssm.send(new PutParameterCommand(input)));
      },
      assess: (error) => {
        expect(error.name).toBe('ParameterAlreadyExists');
      },
    }),
    contractCase({
      name: 'pages trusted keys through NextToken, ten at most a page',
      recorded: (stubs) => {
        const page = (labels: number[]) =>
          labels.map((n) => ({
            Name: `/signet/apps/web/trusted-keys/key-${String(n).padStart(2, '0')}`,
            Type: 'String' as const,
            Value: `armored ${n}`,
            Version: 1,
          }));
        const first = { Parameters: page([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), NextToken: 'next' };
        // The case reads the first page itself, then loadTrustedKeys reads both.
        stubs.ssm
          .on(GetParametersByPathCommand)
          .resolvesOnce(first)
          .resolvesOnce(first)
          .resolvesOnce({ Parameters: page([11, 12]) });
      },
      act: async (world) => {
        const prefix = prefixOf(world, 'keys');
        if (world.target !== 'recorded') {
          for (let n = 12; n >= 1; n -= 1) {
            const label = `key-${String(n).padStart(2, '0')}`;
            await world.clients.ssm.send(
              new PutParameterCommand({
                Name: `${prefix}/apps/web/trusted-keys/${label}`,
                Value: `armored ${n}`,
                Type: 'String',
              }),
            );
          }
        }
        const firstPage = await world.clients.ssm.send(
          new GetParametersByPathCommand({ Path: `${prefix}/apps/web/trusted-keys` }),
        );
        const keys = await loadTrustedKeys(world.clients.ssm, prefix, 'web');
        return { firstPage, keys };
      },
      assess: (result) => {
        expect(result.firstPage.Parameters?.length).toBeLessThanOrEqual(10);
        expect(result.firstPage.NextToken).toEqual(expect.any(String));
        expect(result.keys.map((k) => k.label)).toEqual(
          Array.from({ length: 12 }, (_, i) => `key-${String(i + 1).padStart(2, '0')}`),
        );
        expect(result.keys[0]?.armoredPublicKey).toBe('armored 1');
      },
    }),
    contractCase({
      name: 'refuses a Standard value over 4,096 characters (ValidationException)',
      divergent: {
        moto: 'moto 5.2 PutParameter checks no value length for any tier (moto/ssm/models.py)',
      },
      recorded: (stubs) => {
        stubs.ssm
          .on(PutParameterCommand)
          .rejects(
            recordedError(
              'ValidationException',
              'Standard tier parameters support a maximum parameter value of 4096 characters.',
            ),
          );
      },
      act: (world) =>
        thrown(() =>
          world.clients.ssm.send(
            new PutParameterCommand({
              Name: `${prefixOf(world, 'big')}/apps/web/config`,
              Value: 'x'.repeat(4097),
              Type: 'String',
            }),
          ),
        ),
      assess: (error) => {
        expect(error.name).toBe('ValidationException');
      },
    }),
    contractCase({
      name: 'refuses an app with no configuration as ConfigInvalid',
      recorded: (stubs) => {
        stubs.ssm.on(GetParameterCommand).rejects(recordedError('ParameterNotFound', ''));
      },
      act: (world) =>
        thrown(() => loadAppConfig(world.clients.ssm, prefixOf(world, 'noconfig'), 'web')),
      assess: (error) => {
        expect(error.name).toBe('ConfigInvalid');
        expect(error.message).toContain('has no configuration');
      },
    }),
  ],
};
