import { describe, expect, it } from 'vitest';
import { decodePathOnce, formEncodeKey } from '../../../local/s3/http/key-encoding.ts';

describe('decodePathOnce', () => {
  it.each([
    { label: 'space', raw: 'a%20b', key: 'a b' },
    { label: 'literal plus stays plus', raw: 'a+b', key: 'a+b' },
    { label: 'encoded plus', raw: 'a%2Bb', key: 'a+b' },
    { label: 'colon', raw: 'a%3Ab', key: 'a:b' },
    { label: 'percent decoded once only', raw: '100%2525', key: '100%25' },
    { label: 'lower-case hex', raw: '%c3%bc', key: 'ü' },
    { label: 'multi-byte unicode', raw: '%E2%9C%93%F0%9F%93%A6', key: '✓📦' },
    { label: 'encoded slash', raw: 'a%2Fb', key: 'a/b' },
    { label: 'stray percent kept', raw: '50%-off', key: '50%-off' },
    { label: 'percent at the end kept', raw: 'end%', key: 'end%' },
  ])('decodes $label', ({ raw, key }) => {
    // Act
    const decoded = decodePathOnce(raw);

    // Assess
    expect(decoded).toBe(key);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(decodePathOnce('%FF%FE')).toBeUndefined();
  });
});

describe('formEncodeKey', () => {
  it.each([
    { label: 'space as plus', key: 'red flower.jpg', encoded: 'red+flower.jpg' },
    { label: 'plus as %2B', key: 'c++.tgz', encoded: 'c%2B%2B.tgz' },
    { label: 'colon as %3A', key: '10:47:07.log', encoded: '10%3A47%3A07.log' },
    { label: 'percent as %25', key: '100%', encoded: '100%25' },
    { label: 'parentheses', key: 'test_file(3).png', encoded: 'test_file%283%29.png' },
    { label: 'equals', key: 'dt=2018-05-04/_SUCCESS', encoded: 'dt%3D2018-05-04/_SUCCESS' },
    { label: 'slash kept', key: 'releases/web/1.0.tgz', encoded: 'releases/web/1.0.tgz' },
    { label: 'unreserved kept', key: 'a-b_c.d*e', encoded: 'a-b_c.d*e' },
    { label: 'tilde encoded', key: '~x', encoded: '%7Ex' },
    { label: 'unicode as UTF-8 bytes', key: 'ü✓', encoded: '%C3%BC%E2%9C%93' },
  ])('encodes $label', ({ key, encoded }) => {
    expect(formEncodeKey(key)).toBe(encoded);
  });

  it('round-trips through form decoding', () => {
    // Prepare
    const key = 'releases/web 1.4.0+build:7 (ü) 100%.tgz';

    // Act
    const decoded = decodeURIComponent(formEncodeKey(key).replaceAll('+', ' '));

    // Assess
    expect(decoded).toBe(key);
  });
});
