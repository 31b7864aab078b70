import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeDocumentCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_PARAMETERS } from '../../../core/document-parameters.ts';
import { type LocalStack, rejection, startLocalStack } from './local-stack.ts';

const DOCUMENT_FILE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'documents',
  'signet-deploy.json',
);

describe('SSM DescribeDocument', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({
      instances: [],
      services: { documents: [{ name: 'SignetDeploy', file: DOCUMENT_FILE }] },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('describes a registered document as Active, Command, with its parameters', async () => {
    // Prepare
    const text = await readFile(DOCUMENT_FILE, 'utf8');

    // Act
    const { Document } = await stack.ssm.send(
      new DescribeDocumentCommand({ Name: 'SignetDeploy' }),
    );

    // Assess
    expect(Document).toMatchObject({
      Name: 'SignetDeploy',
      Owner: '123456789012',
      Status: 'Active',
      DocumentType: 'Command',
      SchemaVersion: '2.2',
      DocumentFormat: 'JSON',
      DocumentVersion: '1',
      LatestVersion: '1',
      DefaultVersion: '1',
      Hash: createHash('sha256').update(text).digest('hex'),
      HashType: 'Sha256',
      Description: (JSON.parse(text) as { description: string }).description,
    });
    expect(Document?.CreatedDate).toBeInstanceOf(Date);
    expect(Document?.Parameters).toEqual(
      DOCUMENT_PARAMETERS.map((parameter) => ({
        Name: parameter.name,
        Type: 'String',
        Description: parameter.description,
        ...(parameter.default === undefined ? {} : { DefaultValue: parameter.default }),
      })),
    );
  });

  it('describes the built-in AWS-RunShellScript as Amazon’s schema 1.2 document', async () => {
    // Act
    const { Document } = await stack.ssm.send(
      new DescribeDocumentCommand({ Name: 'AWS-RunShellScript' }),
    );

    // Assess
    expect(Document).toMatchObject({ Owner: 'Amazon', SchemaVersion: '1.2' });
    expect(Document?.Parameters?.map((p) => [p.Name, p.Type])).toEqual([
      ['commands', 'StringList'],
      ['workingDirectory', 'String'],
      ['executionTimeout', 'String'],
    ]);
  });

  it('accepts the document ARN and the version names that mean version 1', async () => {
    // Act
    const answers = await Promise.all(
      ['1', '$DEFAULT', '$LATEST'].map((DocumentVersion) =>
        stack.ssm.send(
          new DescribeDocumentCommand({
            Name: 'arn:aws:ssm:us-east-1:123456789012:document/SignetDeploy',
            DocumentVersion,
          }),
        ),
      ),
    );

    // Assess
    expect(answers.map((answer) => answer.Document?.Name)).toEqual([
      'SignetDeploy',
      'SignetDeploy',
      'SignetDeploy',
    ]);
  });

  it.each([
    [
      'an unknown document',
      { Name: 'Missing' },
      'InvalidDocument',
      'Document with name Missing does not exist.',
    ],
    [
      'a version that does not exist',
      { Name: 'SignetDeploy', DocumentVersion: '2' },
      'InvalidDocumentVersion',
      undefined,
    ],
    ['a name too short to be one', { Name: 'ab' }, 'ValidationException', undefined],
  ])('refuses %s', async (_label, input, code, message) => {
    // Act
    const error = await rejection(stack.ssm.send(new DescribeDocumentCommand(input)));

    // Assess
    expect(error.name).toBe(code);
    if (message !== undefined) expect(error.message).toBe(message);
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });
});
