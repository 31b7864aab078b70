import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChecksumAlgorithm, ChecksumType } from '../body/checksums.ts';
import { S3ServiceError } from '../s3-error.ts';
import { readJsonIfPresent, WriteQueue, writeJsonAtomic } from './atomic-file.ts';
import type { StateLayout } from './layout.ts';
import type { ObjectAttributes } from './records.ts';

export interface PartRecord {
  readonly partNumber: number;
  /** Unquoted hex MD5 of the part. */
  readonly etag: string;
  readonly size: number;
  readonly lastModified: string;
  /** Base64 checksum of the part, in the upload's algorithm, when it has one. */
  readonly checksum: string | undefined;
  readonly dataFile: string;
}

export interface UploadRecord {
  readonly uploadId: string;
  readonly bucket: string;
  readonly key: string;
  readonly initiated: string;
  readonly attributes: ObjectAttributes;
  readonly checksumAlgorithm: ChecksumAlgorithm | undefined;
  readonly checksumType: ChecksumType | undefined;
  parts: Record<string, PartRecord>;
}

export const noSuchUpload = (uploadId: string) =>
  new S3ServiceError(
    404,
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have ' +
      'been aborted or completed.',
    { UploadId: uploadId },
  );

/** Multipart uploads in progress: their parts on disk until completed or aborted. */
export class MultipartStore {
  readonly #layout: StateLayout;
  readonly #uploads = new Map<string, UploadRecord>();
  readonly #writes = new WriteQueue();

  private constructor(layout: StateLayout) {
    this.#layout = layout;
  }

  static async open(layout: StateLayout): Promise<MultipartStore> {
    const store = new MultipartStore(layout);
    await mkdir(layout.uploadsDir, { recursive: true });
    for (const uploadId of await readdir(layout.uploadsDir)) {
      const file = join(layout.uploadDir(uploadId), 'upload.json');
      const record = (await readJsonIfPresent(file)) as UploadRecord | undefined;
      if (record) store.#uploads.set(uploadId, record);
    }
    return store;
  }

  async create(fields: Omit<UploadRecord, 'uploadId' | 'initiated' | 'parts'>) {
    const record: UploadRecord = {
      ...fields,
      uploadId: randomBytes(48).toString('base64url'),
      initiated: new Date().toISOString(),
      parts: {},
    };
    await mkdir(this.#layout.uploadDir(record.uploadId), { recursive: true });
    this.#uploads.set(record.uploadId, record);
    await this.#persist(record.uploadId);
    return record;
  }

  /** The upload, which must belong to this bucket and key (else NoSuchUpload, as on S3). */
  get(uploadId: string, bucket: string, key: string): UploadRecord {
    const record = this.#uploads.get(uploadId);
    if (!record || record.bucket !== bucket || record.key !== key) throw noSuchUpload(uploadId);
    return record;
  }

  async putPart(
    record: UploadRecord,
    tempFile: string,
    part: Omit<PartRecord, 'dataFile' | 'lastModified'>,
  ): Promise<PartRecord> {
    const dataFile = `part-${part.partNumber}-${randomUUID()}.data`;
    await rename(tempFile, join(this.#layout.uploadDir(record.uploadId), dataFile));
    const stored: PartRecord = { ...part, dataFile, lastModified: new Date().toISOString() };
    const replaced = record.parts[String(part.partNumber)];
    record.parts[String(part.partNumber)] = stored;
    await this.#persist(record.uploadId);
    if (replaced) await rm(this.partPath(record, replaced), { force: true });
    return stored;
  }

  /** Parts in part-number order. */
  parts(record: UploadRecord): PartRecord[] {
    return Object.values(record.parts).sort((a, b) => a.partNumber - b.partNumber);
  }

  partPath(record: UploadRecord, part: PartRecord): string {
    return join(this.#layout.uploadDir(record.uploadId), part.dataFile);
  }

  /** Forgets an upload and deletes its parts (after completion, or on abort). */
  async remove(uploadId: string): Promise<void> {
    this.#uploads.delete(uploadId);
    await this.#writes.drain();
    await rm(this.#layout.uploadDir(uploadId), { recursive: true, force: true });
  }

  async removeForBucket(bucket: string): Promise<void> {
    const ids = [...this.#uploads.values()].filter((u) => u.bucket === bucket);
    for (const upload of ids) await this.remove(upload.uploadId);
  }

  #persist(uploadId: string): Promise<void> {
    return this.#writes.run(uploadId, async () => {
      const record = this.#uploads.get(uploadId);
      if (!record) return;
      await writeJsonAtomic(join(this.#layout.uploadDir(uploadId), 'upload.json'), record);
    });
  }
}
