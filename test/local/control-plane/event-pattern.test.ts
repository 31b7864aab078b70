import { describe, expect, it } from 'vitest';
import {
  compileEventPattern,
  matchesEventPattern,
} from '../../../local/control-plane/event-pattern.ts';

// The sample "Object Created" event from the Amazon S3 user guide, "Amazon S3 event
// notifications via EventBridge: example event" (ev-events.html).
const objectCreated = {
  version: '0',
  id: '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '123456789012',
  time: '2021-11-12T00:00:00Z',
  region: 'ca-central-1',
  resources: ['arn:aws:s3:::example-bucket'],
  detail: {
    version: '0',
    bucket: { name: 'example-bucket' },
    object: {
      key: 'example-key',
      size: 5,
      etag: 'b1946ac92492d2347c6235b4d2611184',
      'version-id': 'IYV3p45BT0ac8hjHg1houSdS1a.Mppz.',
      sequencer: '00617F08299329D189',
    },
    'request-id': 'N4N7GDK58NMKJ12R',
    requester: '123456789012',
    'source-ip-address': '1.2.3.4',
    reason: 'PutObject',
  },
};

describe('matchesEventPattern', () => {
  it.each([
    {
      label: 'source and detail-type',
      pattern: { source: ['aws.s3'], 'detail-type': ['Object Created'] },
    },
    { label: 'one of several sources', pattern: { source: ['aws.ec2', 'aws.s3'] } },
    {
      label: 'a nested bucket name',
      pattern: { detail: { bucket: { name: ['example-bucket'] } } },
    },
    { label: 'a key prefix', pattern: { detail: { object: { key: [{ prefix: 'example' }] } } } },
    { label: 'a key suffix', pattern: { detail: { object: { key: [{ suffix: '-key' }] } } } },
    {
      label: 'anything but a deletion',
      pattern: { detail: { reason: [{ 'anything-but': ['DeleteObject'] }] } },
    },
    {
      label: 'a field that exists',
      pattern: { detail: { object: { 'version-id': [{ exists: true }] } } },
    },
    {
      label: 'a field that does not exist',
      pattern: { detail: { object: { missing: [{ exists: false }] } } },
    },
    {
      label: 'a numeric range',
      pattern: { detail: { object: { size: [{ numeric: ['>', 0, '<=', 5] }] } } },
    },
    { label: 'an exact number', pattern: { detail: { object: { size: [5] } } } },
    {
      label: 'a value inside the resources array',
      pattern: { resources: ['arn:aws:s3:::example-bucket'] },
    },
    {
      label: 'equals-ignore-case',
      pattern: { 'detail-type': [{ 'equals-ignore-case': 'object created' }] },
    },
    { label: 'a wildcard', pattern: { detail: { object: { key: [{ wildcard: 'ex*ey' }] } } } },
  ])('matches the S3 sample on $label', ({ pattern }) => {
    // Act
    const matched = matchesEventPattern(pattern, objectCreated);

    // Assess
    expect(matched).toBe(true);
  });

  it.each([
    { label: 'another source', pattern: { source: ['aws.ec2'] } },
    { label: 'another bucket', pattern: { detail: { bucket: { name: ['other-bucket'] } } } },
    {
      label: 'a prefix that differs',
      pattern: { detail: { object: { key: [{ prefix: 'releases/' }] } } },
    },
    {
      label: 'a suffix that differs',
      pattern: { detail: { object: { key: [{ suffix: '.tar.gz' }] } } },
    },
    {
      label: 'anything but its own reason',
      pattern: { detail: { reason: [{ 'anything-but': 'PutObject' }] } },
    },
    {
      label: 'a field required but absent',
      pattern: { detail: { object: { missing: [{ exists: true }] } } },
    },
    {
      label: 'exists false on a present field',
      pattern: { detail: { reason: [{ exists: false }] } },
    },
    {
      label: 'a numeric range it is outside',
      pattern: { detail: { object: { size: [{ numeric: ['>', 5] }] } } },
    },
    { label: 'a number given as a string', pattern: { detail: { object: { size: ['5'] } } } },
    { label: 'a misspelt field name', pattern: { 'detail-typ': ['Object Created'] } },
    {
      label: 'a misspelt nested field',
      pattern: { detail: { bucket: { nam: ['example-bucket'] } } },
    },
    { label: 'a value with different case', pattern: { 'detail-type': ['object created'] } },
  ])('does not match the S3 sample on $label', ({ pattern }) => {
    // Act
    const matched = matchesEventPattern(pattern, objectCreated);

    // Assess
    expect(matched).toBe(false);
  });

  it.each([
    { label: 'a string where an array belongs', pattern: { source: 'aws.s3' } },
    { label: 'a number where an array belongs', pattern: { detail: { object: { size: 5 } } } },
    { label: 'an unknown match type', pattern: { source: [{ prefx: 'aws.' }] } },
    {
      label: 'a filter object with two operators',
      pattern: { source: [{ prefix: 'a', suffix: 'b' }] },
    },
    { label: 'a prefix that is not a string', pattern: { source: [{ prefix: 5 }] } },
    {
      label: 'a numeric filter without pairs',
      pattern: { detail: { size: [{ numeric: ['>'] }] } },
    },
    { label: 'an empty pattern', pattern: {} },
    { label: 'an array instead of an object', pattern: [{ source: ['aws.s3'] }] },
    { label: 'an empty list of alternatives', pattern: { source: [] } },
  ])('refuses $label as an invalid pattern', ({ pattern }) => {
    // Act
    const compiling = () => compileEventPattern(pattern);

    // Assess
    expect(compiling).toThrow(expect.objectContaining({ code: 'InvalidEventPatternException' }));
  });

  it('matches an array of objects element by element', () => {
    // Prepare
    const event = {
      detail: {
        items: [
          { id: 1, kind: 'a' },
          { id: 2, kind: 'b' },
        ],
      },
    };

    // Act
    const sameElement = matchesEventPattern({ detail: { items: { id: [2], kind: ['b'] } } }, event);
    const acrossElements = matchesEventPattern(
      { detail: { items: { id: [1], kind: ['b'] } } },
      event,
    );

    // Assess
    expect(sameElement).toBe(true);
    expect(acrossElements).toBe(false);
  });
});
