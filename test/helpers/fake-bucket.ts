import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  type GetObjectCommandInput,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  type HeadObjectCommandInput,
  type HeadObjectCommandOutput,
  type S3ClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-s3';
import type { AwsStub } from 'aws-sdk-client-mock';

export type S3Stub = AwsStub<ServiceInputTypes, ServiceOutputTypes, S3ClientResolvedConfig>;

/** One object as the fake bucket holds it. */
export interface StoredObject {
  readonly bytes: Uint8Array;
  /** Absent on an unversioned bucket. */
  readonly versionId?: string | undefined;
  /** Without quotes; answers carry it quoted, as S3's headers do. */
  readonly etag: string;
  /** Base64, as S3 stores an upload's x-amz-checksum-sha256. */
  readonly checksumSha256?: string | undefined;
  readonly checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
  /** Changes to S3's HEAD answer, for answers S3 should not give. */
  readonly headPatch?: Partial<HeadObjectCommandOutput>;
  /** Changes to S3's GET answer: another version, another ETag. */
  readonly getPatch?: Partial<GetObjectCommandOutput>;
  /** A GET fails with this error (the object replaced between HEAD and GET, say). */
  readonly getError?: Error;
}

/** GetObject's Body as the SDK gives it in Node: a Readable with the SDK's transform methods. */
export type SdkBody = Readable & NonNullable<GetObjectCommandOutput['Body']>;

export function sdkBody(bytes: Uint8Array): SdkBody {
  const stream = Readable.from([Buffer.from(bytes)]);
  return Object.assign(stream, {
    transformToByteArray: async () => new Uint8Array(await drain(stream)),
    transformToString: async (encoding?: string) =>
      (await drain(stream)).toString(encoding as BufferEncoding | undefined),
    transformToWebStream: () => Readable.toWeb(stream) as ReadableStream,
  }) as unknown as SdkBody;
}

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** An S3 error as the SDK raises it: a name and the HTTP status in $metadata. */
export function s3Error(name: string, status: number, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

/**
 * A bucket behind a mocked S3Client that answers HeadObject and GetObject from stored bytes,
 * keeping S3's rules for versions and If-Match, and every Body it handed out.
 */
export class FakeBucket {
  readonly objects = new Map<string, StoredObject>();
  readonly bodies = new Map<string, SdkBody[]>();

  constructor(s3: S3Stub) {
    s3.on(HeadObjectCommand).callsFake((input: HeadObjectCommandInput) => this.#head(input));
    s3.on(GetObjectCommand).callsFake((input: GetObjectCommandInput) => this.#get(input));
  }

  put(key: string, object: StoredObject): void {
    this.objects.set(key, object);
  }

  #find(input: HeadObjectCommandInput | GetObjectCommandInput, kind: 'head' | 'get') {
    const object = this.objects.get(input.Key ?? '');
    // A HEAD's error has no body: the SDK names a 404 NotFound and a 412 Unknown.
    if (object === undefined) {
      throw kind === 'head' ? s3Error('NotFound', 404) : s3Error('NoSuchKey', 404);
    }
    if (input.VersionId !== undefined && input.VersionId !== object.versionId) {
      throw kind === 'head' ? s3Error('NotFound', 404) : s3Error('NoSuchVersion', 404);
    }
    if (input.IfMatch !== undefined && input.IfMatch !== `"${object.etag}"`) {
      throw s3Error(kind === 'head' ? 'Unknown' : 'PreconditionFailed', 412);
    }
    return object;
  }

  #head(input: HeadObjectCommandInput): HeadObjectCommandOutput {
    const object = this.#find(input, 'head');
    const checksums =
      input.ChecksumMode === 'ENABLED' && object.checksumSha256 !== undefined
        ? {
            ChecksumSHA256: object.checksumSha256,
            ChecksumType: object.checksumType ?? 'FULL_OBJECT',
          }
        : {};
    return {
      $metadata: {},
      ContentLength: object.bytes.length,
      ETag: `"${object.etag}"`,
      ...(object.versionId === undefined ? {} : { VersionId: object.versionId }),
      ...checksums,
      ...object.headPatch,
    };
  }

  #get(input: GetObjectCommandInput): GetObjectCommandOutput {
    const object = this.#find(input, 'get');
    if (object.getError !== undefined) throw object.getError;
    const body = sdkBody(object.bytes);
    const key = input.Key ?? '';
    this.bodies.set(key, [...(this.bodies.get(key) ?? []), body]);
    return {
      $metadata: {},
      Body: body,
      ContentLength: object.bytes.length,
      ETag: `"${object.etag}"`,
      ...(object.versionId === undefined ? {} : { VersionId: object.versionId }),
      ...object.getPatch,
    };
  }
}
