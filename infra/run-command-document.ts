import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ConfigInvalid } from '../core/errors.ts';

/** The Command document, generated from instance/ by scripts/build-documents.ts. */
export const DOCUMENT_FILE = join(import.meta.dirname, '..', 'documents', 'signet-deploy.json');

// SSM's quota on a document's content; CloudFormation sends the JSON without whitespace.
const MAX_DOCUMENT_BYTES = 64 * 1024;

/**
 * Signet's SSM Command document, its JSON content exactly as in the repository. CloudFormation
 * names it, so two Signet stacks in one account and Region do not collide, and a changed
 * document replaces the old one instead of failing on a name already taken.
 */
export class RunCommandDocument extends Construct {
  readonly document: ssm.CfnDocument;
  /** The generated document name (SIGNET_DOCUMENT_NAME). */
  readonly documentName: string;
  /** The ARN that SendCommand is authorized against. */
  readonly documentArn: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const content = JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8')) as unknown;
    const bytes = Buffer.byteLength(JSON.stringify(content));
    if (bytes > MAX_DOCUMENT_BYTES) {
      throw new ConfigInvalid(
        `${this.node.path}: ${DOCUMENT_FILE} is ${bytes} bytes without whitespace, over SSM's ` +
          `${MAX_DOCUMENT_BYTES} for a document`,
        { details: { file: DOCUMENT_FILE, bytes } },
      );
    }
    this.document = new ssm.CfnDocument(this, 'Document', {
      documentType: 'Command',
      documentFormat: 'JSON',
      content,
    });
    this.documentName = this.document.ref;
    this.documentArn = Stack.of(this).formatArn({
      service: 'ssm',
      resource: 'document',
      resourceName: this.documentName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }
}
