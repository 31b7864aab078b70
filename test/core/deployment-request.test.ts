import { describe, expect, it } from 'vitest';
import {
  decodeNotificationKey,
  parseExecutionInput,
  requestForObject,
} from '../../core/deployment-request.ts';

// Shaped as AWS documents the EventBridge "Object Created" event for S3.
function eventBridgeEvent(key: string, overrides: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: '17793124-05d4-b198-2fde-7ededc63b103',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: '2021-11-12T00:00:00Z',
    region: 'us-east-1',
    resources: ['arn:aws:s3:::artifacts'],
    detail: {
      version: '0',
      bucket: { name: 'artifacts' },
      object: {
        key,
        size: 5,
        etag: 'b1946ac92492d2347c6235b4d2611184',
        'version-id': 'v1',
        sequencer: '00',
      },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: '123456789012',
      'source-ip-address': '1.2.3.4',
      reason: 'PutObject',
    },
    ...overrides,
  };
}

function notification(encodedKey: string, eventName = 'ObjectCreated:Put') {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventName,
        userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
        s3: {
          bucket: { name: 'artifacts' },
          object: { key: encodedKey, size: 5, eTag: 'abc', versionId: 'v2' },
        },
      },
    ],
  };
}

describe('parseExecutionInput', () => {
  it('reads an EventBridge Object Created event with the key exactly as uploaded', () => {
    // Prepare
    const key = 'releases/web/web-1.0.0.tar.gz';

    // Act
    const parsed = parseExecutionInput(eventBridgeEvent(key));

    // Assess
    expect(parsed).toEqual({
      kind: 'object',
      bucket: 'artifacts',
      key,
      versionId: 'v1',
      etag: 'b1946ac92492d2347c6235b4d2611184',
      intent: 'release',
      requestedBy: '123456789012',
      source: 'eventbridge',
    });
  });

  it.each([
    ['a plus stays a plus', 'releases/a+b/x', 'releases/a+b/x'],
    ['a colon is not encoded', 'releases/a:b', 'releases/a:b'],
    ['a percent sign stays', 'releases/100%25', 'releases/100%25'],
  ])('never decodes an EventBridge key again: %s', (_label, key, expected) => {
    const parsed = parseExecutionInput(eventBridgeEvent(key));
    expect(parsed.kind === 'object' && parsed.key).toBe(expected);
  });

  it.each([
    ['plus is a space', 'releases/a+b', 'releases/a b'],
    ['%2B is a plus', 'releases/a%2Bb', 'releases/a+b'],
    ['%3A is a colon', 'releases/a%3Ab', 'releases/a:b'],
    ['unicode', 'releases/caf%C3%A9', 'releases/café'],
  ])('form-decodes an S3 notification key: %s', (_label, encoded, expected) => {
    const parsed = parseExecutionInput(notification(encoded));
    expect(parsed).toMatchObject({ kind: 'object', key: expected, source: 's3-notification' });
  });

  it('refuses a notification key that is not valid form encoding', () => {
    expect(() => decodeNotificationKey('releases/%E0%A4%A')).toThrow(
      expect.objectContaining({ name: 'InputInvalid' }),
    );
  });

  it.each([
    [
      'an Object Deleted event',
      eventBridgeEvent('releases/web/web-1.0.0.tar.gz', { 'detail-type': 'Object Deleted' }),
    ],
    [
      'an ObjectRemoved notification',
      notification('releases/web/web-1.0.0.tar.gz', 'ObjectRemoved:Delete'),
    ],
  ])('treats %s as not a release', (_label, input) => {
    expect(() => parseExecutionInput(input)).toThrow(
      expect.objectContaining({ name: 'NotARelease' }),
    );
  });

  it('reads a manual bucket and key as a release, and an app and version as a redeploy', () => {
    expect(parseExecutionInput({ bucket: 'b', key: 'k', versionId: 'v' })).toMatchObject({
      kind: 'object',
      intent: 'release',
      versionId: 'v',
      etag: null,
      source: 'manual',
    });
    expect(parseExecutionInput({ app: 'web', version: '1.3.2', requestedBy: 'alice' })).toEqual({
      kind: 'app-version',
      app: 'web',
      version: '1.3.2',
      requestedBy: 'alice',
    });
    expect(parseExecutionInput({ app: 'web', intent: 'rollback' })).toEqual({
      kind: 'rollback',
      app: 'web',
      requestedBy: null,
    });
  });

  it.each([
    ['a string', 'releases/web/web-1.0.0.tar.gz'],
    ['an array', []],
    ['an app with a shell metacharacter', { app: 'web;rm', version: '1.0.0' }],
    ['a version with a command substitution', { app: 'web', version: '1.0.0$(id)' }],
    ['an unknown intent', { app: 'web', version: '1.0.0', intent: 'destroy' }],
    [
      'a notification with two records',
      { Records: [{ eventSource: 'aws:s3' }, { eventSource: 'aws:s3' }] },
    ],
    ['a bucket without a key', { bucket: 'b' }],
  ])('refuses %s as InputInvalid', (_label, input) => {
    expect(() => parseExecutionInput(input)).toThrow(
      expect.objectContaining({ name: 'InputInvalid' }),
    );
  });
});

describe('requestForObject', () => {
  it('routes by the key and keeps the pin', () => {
    const parsed = parseExecutionInput(eventBridgeEvent('releases/web/web-1.4.0-rc.1.tar.gz'));
    if (parsed.kind !== 'object') throw new Error('expected an object input');
    expect(requestForObject(parsed)).toMatchObject({
      app: 'web',
      version: '1.4.0-rc.1',
      versionId: 'v1',
    });
  });

  it.each([
    'releases/web/web-1.0.0.tar.gz.sig',
    'releases/web/README.md',
    'releases/web/api-1.0.0.tar.gz',
    'other/web/web-1.0.0.tar.gz',
    'releases/web/web-1.0.tar.gz',
  ])('refuses %s as not a release', (key) => {
    const parsed = parseExecutionInput({ bucket: 'b', key, versionId: 'v' });
    if (parsed.kind !== 'object') throw new Error('expected an object input');
    expect(() => requestForObject(parsed)).toThrow(
      expect.objectContaining({ name: 'NotARelease' }),
    );
  });
});
