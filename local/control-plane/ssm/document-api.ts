import { optionalString, requiredString, validationError } from '../input-fields.ts';
import { AwsServiceError, type JsonObject, type JsonOperation } from '../service-types.ts';
import type { CommandDocument, DocumentParameter } from './command-document.ts';

// ssm-model DocumentARN: a name (or ARN) of 3 to 128 of [a-zA-Z0-9_\-.:/].
const DOCUMENT_NAME = /^[a-zA-Z0-9_\-.:/]{3,128}$/;

export interface DocumentApiOptions {
  /** The owner of documents that are not AWS's own. */
  readonly account: string;
  /** The registered documents, AWS-RunShellScript included. */
  readonly document: (name: string) => CommandDocument | undefined;
}

/**
 * DescribeDocument for the registered Command documents: one version each (1, the default
 * and latest), Active, JSON, for Linux and macOS. An unknown name is InvalidDocument
 * "Document with name <name> does not exist." (the message AWS answers with, as quoted in the
 * SSM Distributor and AWS Backint troubleshooting guides); a version other than 1 (or
 * `$DEFAULT` / `$LATEST`) is InvalidDocumentVersion.
 */
export function documentOperations(options: DocumentApiOptions): Record<string, JsonOperation> {
  return {
    async DescribeDocument(input) {
      const requested = requiredString(input, 'Name');
      if (!DOCUMENT_NAME.test(requested)) {
        throw validationError(
          'name',
          `Member must satisfy regular expression pattern: ${DOCUMENT_NAME.source}`,
        );
      }
      const name = requested.replace(/^arn:[^:]+:ssm:[^:]*:[^:]*:document\//, '');
      const document = options.document(name);
      if (document === undefined) {
        throw new AwsServiceError('InvalidDocument', `Document with name ${name} does not exist.`);
      }
      const version = optionalString(input, 'DocumentVersion');
      if (version !== undefined && !['1', '$DEFAULT', '$LATEST'].includes(version)) {
        throw new AwsServiceError(
          'InvalidDocumentVersion',
          'The document version is not valid or does not exist.',
        );
      }
      return { Document: describe(document, options) };
    },
  };
}

function describe(document: CommandDocument, options: DocumentApiOptions): JsonObject {
  const about = document.description;
  return {
    Name: document.name,
    Owner: about?.owner ?? options.account,
    CreatedDate: about?.createdDate ?? new Date(0),
    Status: 'Active',
    DocumentVersion: '1',
    LatestVersion: '1',
    DefaultVersion: '1',
    ...(about?.text === undefined ? {} : { Description: about.text }),
    ...(about?.sha256 === undefined ? {} : { Hash: about.sha256, HashType: 'Sha256' }),
    Parameters: Object.entries(document.parameters).map(([name, parameter]) =>
      parameterShape(name, parameter),
    ),
    PlatformTypes: ['Linux', 'MacOS'],
    DocumentType: 'Command',
    SchemaVersion: about?.schemaVersion ?? '2.2',
    DocumentFormat: 'JSON',
  };
}

/** ssm-model DocumentParameter: Name, Type (String or StringList), Description, DefaultValue. */
function parameterShape(name: string, parameter: DocumentParameter): JsonObject {
  const fallback = parameter.default;
  return {
    Name: name,
    Type: parameter.type === 'StringList' ? 'StringList' : 'String',
    ...(parameter.description === undefined ? {} : { Description: parameter.description }),
    ...(fallback === undefined
      ? {}
      : { DefaultValue: typeof fallback === 'string' ? fallback : fallback.join(',') }),
  };
}
