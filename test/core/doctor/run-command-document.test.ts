import { DescribeDocumentCommand, type DocumentParameter, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkRunCommandDocument } from '../../../core/doctor/run-command-document.ts';
import { DOCUMENT_PARAMETERS } from '../../../core/document-parameters.ts';
import { awsError } from '../../helpers/aws-error.ts';

const NAME = 'Signet-RunCommandDocument-AbC123';
const SIGNET_PARAMETERS: DocumentParameter[] = DOCUMENT_PARAMETERS.map((p) => ({
  Name: p.name,
  Type: 'String',
  ...(p.default === undefined ? {} : { DefaultValue: p.default }),
}));

describe('the Command document check', () => {
  const ssm = mockClient(SSMClient);
  const client = new SSMClient({ region: 'us-east-1' });
  const describing = (document: Record<string, unknown>) =>
    ssm.on(DescribeDocumentCommand).resolves({
      Document: {
        Name: NAME,
        DocumentType: 'Command',
        Status: 'Active',
        Parameters: SIGNET_PARAMETERS,
        ...document,
      },
    });
  beforeEach(() => ssm.reset());

  it('passes for an Active Command document with the parameters Signet sends', async () => {
    // Prepare
    describing({});

    // Act
    const results = await checkRunCommandDocument(client, NAME);

    // Assess
    expect(results).toEqual([{ check: 'run-command-document', target: NAME, ok: true }]);
    expect(ssm.commandCalls(DescribeDocumentCommand)[0]?.args[0].input).toEqual({ Name: NAME });
  });

  it('fails for a document that does not exist, naming the setting to correct', async () => {
    // Prepare
    ssm
      .on(DescribeDocumentCommand)
      .rejects(awsError('InvalidDocument', `Document with name ${NAME} does not exist.`));

    // Act
    const [result] = await checkRunCommandDocument(client, NAME);

    // Assess
    expect(result?.ok).toBe(false);
    expect(result?.problem).toBe(`SSM document ${NAME} does not exist`);
    expect(result?.fix).toContain('SIGNET_DOCUMENT_NAME');
  });

  it.each([
    [
      'an Automation document',
      { DocumentType: 'Automation' },
      'is of type Automation, not a Command document',
    ],
    ['a document still being created', { Status: 'Creating' }, 'is Creating, not Active'],
    [
      'a document without two of the parameters',
      {
        Parameters: SIGNET_PARAMETERS.filter((p) => !['App', 'HealthPort'].includes(p.Name ?? '')),
      },
      'lacks parameter(s) Signet sends: App, HealthPort',
    ],
    [
      'a document requiring a parameter Signet never sends',
      { Parameters: [...SIGNET_PARAMETERS, { Name: 'Region', Type: 'String' }] },
      'requires parameter(s) Signet never sends: Region',
    ],
  ])('fails for %s', async (_label, document, words) => {
    // Prepare
    describing(document);

    // Act
    const results = await checkRunCommandDocument(client, NAME);

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]?.ok).toBe(false);
    expect(results[0]?.problem).toBe(`SSM document ${NAME} ${words}`);
    expect(results[0]?.fix).toContain('npx cdk deploy');
  });

  it('accepts an extra parameter that has a default', async () => {
    // Prepare
    describing({ Parameters: [...SIGNET_PARAMETERS, { Name: 'Extra', DefaultValue: '' }] });

    // Act
    const results = await checkRunCommandDocument(client, NAME);

    // Assess
    expect(results.map((r) => r.ok)).toEqual([true]);
  });
});
