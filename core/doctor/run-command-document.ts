import {
  DescribeDocumentCommand,
  type DocumentDescription,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { DOCUMENT_PARAMETER_NAMES } from '../document-parameters.ts';
import { guarded, isErrorNamed } from './aws-failure.ts';
import { type CheckResult, failed, passed } from './check-result.ts';

const FIX =
  'set SIGNET_DOCUMENT_NAME to the stack output SignetDocumentName, or redeploy the Signet ' +
  'stack (`npx cdk deploy`), which creates documents/signet-deploy.json as it is';

/**
 * Signet's SSM document exists, is an Active Command document, declares every parameter start-
 * command sends (core/document-parameters.ts), and requires none that it does not send.
 */
export async function checkRunCommandDocument(
  ssm: SSMClient,
  documentName: string,
): Promise<CheckResult[]> {
  const check = 'run-command-document';
  return guarded(check, documentName, ['ssm:DescribeDocument'], async () => {
    let document: DocumentDescription | undefined;
    try {
      document = (await ssm.send(new DescribeDocumentCommand({ Name: documentName }))).Document;
    } catch (error) {
      if (!isErrorNamed(error, 'InvalidDocument')) throw error;
    }
    if (document === undefined) {
      return [failed(check, documentName, `SSM document ${documentName} does not exist`, FIX)];
    }
    const problems: string[] = [];
    if (document.DocumentType !== 'Command') {
      problems.push(`is of type ${document.DocumentType ?? 'none'}, not a Command document`);
    }
    if (document.Status !== undefined && document.Status !== 'Active') {
      problems.push(`is ${document.Status}, not Active`);
    }
    const declared = new Map((document.Parameters ?? []).map((p) => [p.Name ?? '', p]));
    const sent: readonly string[] = DOCUMENT_PARAMETER_NAMES;
    const missing = sent.filter((name) => !declared.has(name));
    if (missing.length > 0) {
      problems.push(`lacks parameter(s) Signet sends: ${missing.join(', ')}`);
    }
    const required = [...declared.values()]
      .filter((p) => p.Name !== undefined && !sent.includes(p.Name))
      .filter((p) => p.DefaultValue === undefined)
      .map((p) => p.Name);
    if (required.length > 0) {
      problems.push(`requires parameter(s) Signet never sends: ${required.join(', ')}`);
    }
    if (problems.length === 0) return [passed(check, documentName)];
    return problems.map((problem) =>
      failed(check, documentName, `SSM document ${documentName} ${problem}`, FIX),
    );
  });
}
