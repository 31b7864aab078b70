import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { awsError } from '../helpers/aws-error.ts';

/**
 * Helpers for the recorded target: AWS's answers rebuilt from its API references, in the form
 * the SDK hands them to Signet (an error's name is its code, `$metadata` carries the status).
 */
export const recordedError = awsError;

/** The recorded account and Region, as in the AWS API references' examples. */
export const RECORDED_ACCOUNT = '123456789012';
export const RECORDED_REGION = 'us-east-1';

/** A GetObject body as the SDK gives it (the parts Signet reads). */
export function recordedBody(text: string): NonNullable<GetObjectCommandOutput['Body']> {
  const bytes = new TextEncoder().encode(text);
  return {
    transformToByteArray: async () => bytes,
    transformToString: async () => text,
    transformToWebStream: () =>
      new ReadableStream({
        start(controller) {
          controller.enqueue(bytes);
          controller.close();
        },
      }),
  } as unknown as NonNullable<GetObjectCommandOutput['Body']>;
}

/** An S3 ETag header value: the quoted MD5 of the bytes. */
export function quotedEtag(hexMd5: string): string {
  return `"${hexMd5}"`;
}
