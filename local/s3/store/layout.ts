import { createHash } from 'node:crypto';
import { join } from 'node:path';

/**
 * Where things live under the state directory:
 *
 *     buckets/<bucket>/bucket.json
 *     buckets/<bucket>/objects/<h[0..2]>/<h>/manifest.json   h = sha256(key), hex
 *     buckets/<bucket>/objects/<h[0..2]>/<h>/<uuid>.data      one file per object version
 *     uploads/<upload-id>/upload.json, part-<n>.json, part-<n>.data
 *     tmp/                                                    bodies still arriving
 *
 * Keys are hashed because they may hold any UTF-8, slashes, and up to 1024 bytes.
 */
export class StateLayout {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  get bucketsDir(): string {
    return join(this.root, 'buckets');
  }

  get uploadsDir(): string {
    return join(this.root, 'uploads');
  }

  get tmpDir(): string {
    return join(this.root, 'tmp');
  }

  bucketDir(bucket: string): string {
    return join(this.bucketsDir, bucket);
  }

  bucketFile(bucket: string): string {
    return join(this.bucketDir(bucket), 'bucket.json');
  }

  objectsDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'objects');
  }

  keyDir(bucket: string, key: string): string {
    const hash = createHash('sha256').update(key, 'utf8').digest('hex');
    return join(this.objectsDir(bucket), hash.slice(0, 2), hash);
  }

  manifestFile(bucket: string, key: string): string {
    return join(this.keyDir(bucket, key), 'manifest.json');
  }

  uploadDir(uploadId: string): string {
    return join(this.uploadsDir, uploadId);
  }
}
