import type { StoredChecksum } from '../body/checksums.ts';

/** A bucket's versioning state; undefined means versioning was never configured. */
export type VersioningStatus = 'Enabled' | 'Suspended';

export interface BucketRecord {
  readonly name: string;
  /** ISO 8601 with milliseconds, as ListBuckets shows it. */
  readonly creationDate: string;
  versioning: VersioningStatus | undefined;
  /**
   * Whether the bucket sends its events to EventBridge. Absent (buckets stored before the
   * switch existed, and new ones): on, the local S3's behaviour since its start.
   */
  eventBridge?: boolean;
}

/** The representation headers S3 stores with an object and returns on GET and HEAD. */
export interface ObjectAttributes {
  readonly contentType: string;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly contentLanguage?: string;
  readonly cacheControl?: string;
  readonly expires?: string;
  /** x-amz-meta-* names without the prefix, lower-case as S3 returns them. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** One version of a key: an object, or a delete marker. */
export interface ObjectVersion {
  /** `null` (the string) for objects written while versioning was off or suspended. */
  readonly versionId: string;
  readonly deleteMarker: boolean;
  /** ISO 8601 with milliseconds. */
  readonly lastModified: string;
  readonly size: number;
  /** Unquoted: hex MD5, or `<hex>-<parts>` for multipart uploads. */
  readonly etag: string;
  /** The data file's name in the key's directory; undefined for delete markers. */
  readonly dataFile: string | undefined;
  readonly attributes: ObjectAttributes | undefined;
  readonly checksum: StoredChecksum | undefined;
  readonly partsCount: number | undefined;
}

/** The content of a new version, before the store names its file and version id. */
export type NewObjectVersion = Pick<
  ObjectVersion,
  'size' | 'etag' | 'attributes' | 'checksum' | 'partsCount'
>;

/** All versions of one key, newest first, as kept in the key's manifest. */
export interface KeyRecord {
  readonly key: string;
  versions: ObjectVersion[];
}
