import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { noSuchBucket, S3ServiceError } from '../s3-error.ts';
import { WriteQueue, writeJsonAtomic } from './atomic-file.ts';
import { NULL_VERSION_ID, newVersionId } from './ids.ts';
import { StateLayout } from './layout.ts';
import { type LoadedBucket, loadBuckets } from './load-state.ts';
import type {
  BucketRecord,
  KeyRecord,
  NewObjectVersion,
  ObjectVersion,
  VersioningStatus,
} from './records.ts';
import { sortByUtf8 } from './utf8-order.ts';

interface BucketState extends LoadedBucket {
  sortedKeys: string[] | undefined;
}

/** What a write changed: the new version and any version it replaced for good. */
export interface Commit {
  readonly version: ObjectVersion;
  readonly replaced: readonly ObjectVersion[];
}

/**
 * Buckets, keys and versions: in memory for lookups and listings, on disk for restarts. Between
 * a precondition check and the change it guards nothing awaits, so concurrent requests on one
 * key see each other's changes in a single order, as S3's strong consistency promises.
 */
export class ObjectStore {
  readonly layout: StateLayout;
  readonly #buckets: Map<string, BucketState>;
  readonly #writes = new WriteQueue();

  private constructor(layout: StateLayout, buckets: Map<string, LoadedBucket>) {
    this.layout = layout;
    this.#buckets = new Map(
      [...buckets].map(([name, loaded]) => [name, { ...loaded, sortedKeys: undefined }]),
    );
  }

  static async open(stateDir: string): Promise<ObjectStore> {
    const layout = new StateLayout(stateDir);
    await rm(layout.tmpDir, { recursive: true, force: true });
    await mkdir(layout.tmpDir, { recursive: true });
    await mkdir(layout.bucketsDir, { recursive: true });
    return new ObjectStore(layout, await loadBuckets(layout));
  }

  /** A fresh path in the temporary directory, on the same file system as the objects. */
  newTempFile(): string {
    return join(this.layout.tmpDir, randomUUID());
  }

  listBuckets(): BucketRecord[] {
    return [...this.#buckets.values()]
      .map((state) => state.record)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  hasBucket(name: string): boolean {
    return this.#buckets.has(name);
  }

  bucket(name: string): BucketRecord {
    return this.#state(name).record;
  }

  async createBucket(name: string): Promise<BucketRecord> {
    const created: BucketRecord = {
      name,
      creationDate: new Date().toISOString(),
      versioning: undefined,
    };
    this.#buckets.set(name, { record: created, keys: new Map(), sortedKeys: undefined });
    await mkdir(this.layout.bucketDir(name), { recursive: true });
    await this.#persistBucket(name);
    return created;
  }

  async deleteBucket(name: string): Promise<void> {
    const state = this.#state(name);
    if (state.keys.size > 0) {
      throw new S3ServiceError(
        409,
        'BucketNotEmpty',
        'The bucket you tried to delete is not empty',
        {
          BucketName: name,
        },
      );
    }
    this.#buckets.delete(name);
    await this.#writes.drain();
    await rm(this.layout.bucketDir(name), { recursive: true, force: true });
  }

  async setVersioning(name: string, status: VersioningStatus): Promise<void> {
    this.#state(name).record.versioning = status;
    await this.#persistBucket(name);
  }

  /** Turns the bucket's events to EventBridge on or off (PutBucketNotificationConfiguration). */
  async setEventBridge(name: string, enabled: boolean): Promise<void> {
    this.#state(name).record.eventBridge = enabled;
    await this.#persistBucket(name);
  }

  /** Whether the bucket sends events; false for a bucket that no longer exists. */
  sendsEvents(name: string): boolean {
    return this.#buckets.get(name)?.record.eventBridge !== false && this.#buckets.has(name);
  }

  /** Every version of a key, newest first; empty when the key has none. */
  versions(bucket: string, key: string): readonly ObjectVersion[] {
    return this.#state(bucket).keys.get(key)?.versions ?? [];
  }

  /** Keys with at least one version, in S3's listing order (UTF-8 byte order). */
  sortedKeys(bucket: string): readonly string[] {
    const state = this.#state(bucket);
    state.sortedKeys ??= sortByUtf8([...state.keys.keys()]);
    return state.sortedKeys;
  }

  dataPath(bucket: string, key: string, version: ObjectVersion): string {
    return join(this.layout.keyDir(bucket, key), version.dataFile ?? 'missing');
  }

  /**
   * Moves a received body into place as the key's newest version. `precondition` sees the
   * current version at the instant of the change and throws to refuse it (conditional writes).
   */
  async commitObject(
    bucket: string,
    key: string,
    tempFile: string,
    content: NewObjectVersion,
    precondition: (current: ObjectVersion | undefined) => void = () => undefined,
  ): Promise<Commit> {
    const keyDir = this.layout.keyDir(bucket, key);
    const dataFile = `${randomUUID()}.data`;
    try {
      this.#state(bucket);
      await mkdir(keyDir, { recursive: true });
      await rename(tempFile, join(keyDir, dataFile));
      precondition(this.versions(bucket, key)[0]);
    } catch (error) {
      await rm(join(keyDir, dataFile), { force: true });
      await rm(tempFile, { force: true });
      throw error;
    }
    return this.#addVersion(bucket, key, { ...content, deleteMarker: false, dataFile });
  }

  /** Adds a delete marker as the key's newest version (versioning enabled or suspended). */
  addDeleteMarker(bucket: string, key: string): Promise<Commit> {
    return this.#addVersion(bucket, key, {
      size: 0,
      etag: '',
      attributes: undefined,
      checksum: undefined,
      partsCount: undefined,
      deleteMarker: true,
      dataFile: undefined,
    });
  }

  /** Deletes one version for good; undefined when there was no such version. */
  async removeVersion(
    bucket: string,
    key: string,
    versionId: string,
  ): Promise<ObjectVersion | undefined> {
    const state = this.#state(bucket);
    const record = state.keys.get(key);
    const removed = record?.versions.find((version) => version.versionId === versionId);
    if (!record || !removed) return undefined;
    record.versions = record.versions.filter((version) => version !== removed);
    await this.#persistKey(bucket, record);
    await this.#removeData(bucket, key, [removed]);
    return removed;
  }

  /** Waits until everything changed so far is on disk. */
  flush(): Promise<void> {
    return this.#writes.drain();
  }

  async #addVersion(
    bucket: string,
    key: string,
    content: Omit<ObjectVersion, 'versionId' | 'lastModified'>,
  ): Promise<Commit> {
    const state = this.#state(bucket);
    let record = state.keys.get(key);
    if (!record) {
      record = { key, versions: [] };
      state.keys.set(key, record);
      state.sortedKeys = undefined;
    }
    const versionId = state.record.versioning === 'Enabled' ? newVersionId() : NULL_VERSION_ID;
    const replaced = record.versions.filter((version) => version.versionId === versionId);
    const version: ObjectVersion = {
      ...content,
      versionId,
      lastModified: new Date().toISOString(),
    };
    record.versions = [version, ...record.versions.filter((v) => v.versionId !== versionId)];
    await this.#persistKey(bucket, record);
    await this.#removeData(bucket, key, replaced);
    return { version, replaced };
  }

  async #removeData(bucket: string, key: string, versions: readonly ObjectVersion[]) {
    for (const version of versions) {
      if (version.dataFile) await rm(this.dataPath(bucket, key, version), { force: true });
    }
  }

  #state(bucket: string): BucketState {
    const state = this.#buckets.get(bucket);
    if (!state) throw noSuchBucket(bucket);
    return state;
  }

  #persistBucket(name: string): Promise<void> {
    return this.#writes.run(`bucket\0${name}`, async () => {
      const state = this.#buckets.get(name);
      if (state) await writeJsonAtomic(this.layout.bucketFile(name), state.record);
    });
  }

  #persistKey(bucket: string, record: KeyRecord): Promise<void> {
    const state = this.#state(bucket);
    if (record.versions.length === 0 && state.keys.get(record.key) === record) {
      state.keys.delete(record.key);
      state.sortedKeys = undefined;
    }
    const manifest = this.layout.manifestFile(bucket, record.key);
    return this.#writes.run(`key\0${bucket}\0${record.key}`, async () => {
      const current = this.#buckets.get(bucket)?.keys.get(record.key);
      // An empty key keeps its directory: a concurrent write may be moving a body into it.
      if (current) await writeJsonAtomic(manifest, current);
      else await rm(manifest, { force: true });
    });
  }
}
