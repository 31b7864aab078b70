import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonIfPresent } from './atomic-file.ts';
import type { StateLayout } from './layout.ts';
import type { BucketRecord, KeyRecord } from './records.ts';

export interface LoadedBucket {
  readonly record: BucketRecord;
  readonly keys: Map<string, KeyRecord>;
}

async function listDir(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Reads one key directory's manifest and removes data files it does not name: those are left by
 * a crash between moving a body into place and recording it, and no client ever saw them.
 */
async function loadKeyDir(dir: string): Promise<KeyRecord | undefined> {
  const manifest = (await readJsonIfPresent(join(dir, 'manifest.json'))) as KeyRecord | undefined;
  const referenced = new Set(manifest?.versions.map((version) => version.dataFile) ?? []);
  for (const name of await listDir(dir)) {
    if (name !== 'manifest.json' && !referenced.has(name))
      await rm(join(dir, name), { force: true });
  }
  return manifest && manifest.versions.length > 0 ? manifest : undefined;
}

/** Loads every bucket and key manifest from disk into memory. */
export async function loadBuckets(layout: StateLayout): Promise<Map<string, LoadedBucket>> {
  const buckets = new Map<string, LoadedBucket>();
  for (const name of await listDir(layout.bucketsDir)) {
    const record = (await readJsonIfPresent(layout.bucketFile(name))) as BucketRecord | undefined;
    if (!record) continue;
    const keys = new Map<string, KeyRecord>();
    const objectsDir = layout.objectsDir(name);
    for (const fanOut of await listDir(objectsDir)) {
      for (const hash of await listDir(join(objectsDir, fanOut))) {
        const keyRecord = await loadKeyDir(join(objectsDir, fanOut, hash));
        if (keyRecord) keys.set(keyRecord.key, keyRecord);
      }
    }
    buckets.set(name, { record, keys });
  }
  return buckets;
}
