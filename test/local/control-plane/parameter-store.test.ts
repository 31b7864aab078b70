import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DeleteParameterCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
} from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createControlPlaneServices } from '../../../local/control-plane/create-services.ts';
import { type LocalStack, rejection, startLocalStack } from './local-stack.ts';

describe('Parameter Store', () => {
  let stack: LocalStack;
  beforeEach(async () => {
    stack = await startLocalStack({ instances: [] });
  });
  afterEach(async () => {
    await stack.close();
  });

  it('stores a parameter and returns it with version, type, date and ARN', async () => {
    // Act
    const put = await stack.ssm.send(
      new PutParameterCommand({ Name: '/signet/web/config', Value: '{"a":1}', Type: 'String' }),
    );
    const { Parameter } = await stack.ssm.send(
      new GetParameterCommand({ Name: '/signet/web/config' }),
    );

    // Assess
    expect(put).toMatchObject({ Version: 1, Tier: 'Standard' });
    expect(Parameter).toMatchObject({
      Name: '/signet/web/config',
      Type: 'String',
      Value: '{"a":1}',
      Version: 1,
      ARN: 'arn:aws:ssm:us-east-1:123456789012:parameter/signet/web/config',
      DataType: 'text',
    });
    expect(Parameter?.LastModifiedDate).toBeInstanceOf(Date);
  });

  it('refuses to replace a parameter without Overwrite, and counts versions with it', async () => {
    // Prepare
    await stack.ssm.send(new PutParameterCommand({ Name: '/p', Value: 'one', Type: 'String' }));

    // Act
    const refused = await rejection(
      stack.ssm.send(new PutParameterCommand({ Name: '/p', Value: 'two', Type: 'String' })),
    );
    const second = await stack.ssm.send(
      new PutParameterCommand({ Name: '/p', Value: 'two', Overwrite: true }),
    );
    const { Parameter } = await stack.ssm.send(new GetParameterCommand({ Name: '/p' }));
    const { Parameter: first } = await stack.ssm.send(new GetParameterCommand({ Name: '/p:1' }));

    // Assess
    expect(refused.name).toBe('ParameterAlreadyExists');
    expect(second.Version).toBe(2);
    expect(Parameter).toMatchObject({ Value: 'two', Version: 2, Type: 'String' });
    expect(first).toMatchObject({ Value: 'one', Version: 1, Selector: ':1' });
  });

  it.each([
    { label: 'a Standard value over 4,096 characters', value: 'x'.repeat(4097), tier: 'Standard' },
    { label: 'an Advanced value over 8,192 characters', value: 'x'.repeat(8193), tier: 'Advanced' },
  ] as const)('refuses $label with ValidationException', async ({ value, tier }) => {
    // Act
    const error = await rejection(
      stack.ssm.send(
        new PutParameterCommand({ Name: '/big', Value: value, Type: 'String', Tier: tier }),
      ),
    );

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('names the 4,096-character limit as AWS does for Standard parameters', async () => {
    // Act
    const error = await rejection(
      stack.ssm.send(
        new PutParameterCommand({ Name: '/big', Value: 'x'.repeat(4097), Type: 'String' }),
      ),
    );
    const atLimit = await stack.ssm.send(
      new PutParameterCommand({ Name: '/big', Value: 'x'.repeat(4096), Type: 'String' }),
    );

    // Assess
    expect(error.message).toMatch(
      /^Standard tier parameters support a maximum parameter value of 4096/,
    );
    expect(atLimit.Version).toBe(1);
  });

  it.each([
    { label: 'a name with a space', name: '/bad name' },
    { label: 'an aws prefix', name: '/aws/reserved' },
    { label: 'a relative path', name: 'a/b' },
  ])('refuses $label with ValidationException', async ({ name }) => {
    // Act
    const error = await rejection(
      stack.ssm.send(new PutParameterCommand({ Name: name, Value: 'v', Type: 'String' })),
    );

    // Assess
    expect(error.name).toBe('ValidationException');
  });

  it('answers ParameterNotFound for a missing parameter on get and delete', async () => {
    // Act
    const onGet = await rejection(stack.ssm.send(new GetParameterCommand({ Name: '/missing' })));
    const onDelete = await rejection(
      stack.ssm.send(new DeleteParameterCommand({ Name: '/missing' })),
    );

    // Assess
    expect(onGet.name).toBe('ParameterNotFound');
    expect(onDelete.name).toBe('ParameterNotFound');
  });

  it('lists names it cannot find as InvalidParameters', async () => {
    // Prepare
    await stack.ssm.send(new PutParameterCommand({ Name: '/a', Value: '1', Type: 'String' }));

    // Act
    const result = await stack.ssm.send(new GetParametersCommand({ Names: ['/a', '/b'] }));

    // Assess
    expect(result.Parameters?.map((p) => p.Name)).toEqual(['/a']);
    expect(result.InvalidParameters).toEqual(['/b']);
  });

  it('walks a path one level or recursively, a page at a time', async () => {
    // Prepare
    for (const name of ['/app/a', '/app/b', '/app/c', '/app/deep/d', '/other/x']) {
      await stack.ssm.send(new PutParameterCommand({ Name: name, Value: name, Type: 'String' }));
    }

    // Act
    const oneLevel = await stack.ssm.send(new GetParametersByPathCommand({ Path: '/app' }));
    const firstPage = await stack.ssm.send(
      new GetParametersByPathCommand({ Path: '/app', Recursive: true, MaxResults: 3 }),
    );
    const secondPage = await stack.ssm.send(
      new GetParametersByPathCommand({
        Path: '/app',
        Recursive: true,
        MaxResults: 3,
        ...(firstPage.NextToken === undefined ? {} : { NextToken: firstPage.NextToken }),
      }),
    );

    // Assess
    expect(oneLevel.Parameters?.map((p) => p.Name)).toEqual(['/app/a', '/app/b', '/app/c']);
    expect(firstPage.Parameters?.map((p) => p.Name)).toEqual(['/app/a', '/app/b', '/app/c']);
    expect(secondPage.Parameters?.map((p) => p.Name)).toEqual(['/app/deep/d']);
    expect(secondPage.NextToken).toBeUndefined();
  });

  it('refuses a NextToken it did not issue', async () => {
    // Act
    const error = await rejection(
      stack.ssm.send(new GetParametersByPathCommand({ Path: '/app', NextToken: 'forged' })),
    );

    // Assess
    expect(error.name).toBe('InvalidNextToken');
  });

  it('keeps every version in the history and forgets it on delete', async () => {
    // Prepare
    await stack.ssm.send(
      new PutParameterCommand({ Name: '/h', Value: 'v1', Type: 'SecureString' }),
    );
    await stack.ssm.send(new PutParameterCommand({ Name: '/h', Value: 'v2', Overwrite: true }));

    // Act
    const history = await stack.ssm.send(new GetParameterHistoryCommand({ Name: '/h' }));
    await stack.ssm.send(new DeleteParameterCommand({ Name: '/h' }));
    const afterDelete = await rejection(
      stack.ssm.send(new GetParameterHistoryCommand({ Name: '/h' })),
    );

    // Assess
    expect(history.Parameters?.map((p) => [p.Version, p.Value, p.Type])).toEqual([
      [1, 'v1', 'SecureString'],
      [2, 'v2', 'SecureString'],
    ]);
    expect(afterDelete.name).toBe('ParameterNotFound');
  });

  it('persists parameters to parameters.json and reads them back on start', async () => {
    // Prepare
    await stack.ssm.send(new PutParameterCommand({ Name: '/kept', Value: 'yes', Type: 'String' }));

    // Act
    const file = JSON.parse(await readFile(join(stack.stateDir, 'parameters.json'), 'utf8'));
    const reopened = await createControlPlaneServices({
      stateDir: stack.stateDir,
      fleet: stack.fleet,
      documents: [],
    });
    const got = await reopened.ssm.operations['GetParameter']?.({ Name: '/kept' });

    // Assess
    expect(file.parameters['/kept'][0].Value).toBe('yes');
    expect(got).toMatchObject({ Parameter: { Name: '/kept', Value: 'yes', Version: 1 } });
    reopened.close();
  });
});
