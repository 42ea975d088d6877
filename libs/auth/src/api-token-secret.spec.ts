import {
  generateApiTokenSecret,
  hashApiTokenSecret,
  looksLikeApiToken,
  parseBearerHeader,
} from './api-token-secret.js';

describe('generateApiTokenSecret', () => {
  it('makes a cmb_ token of 32 random bytes in base64url', () => {
    const secret = generateApiTokenSecret();
    expect(secret).toMatch(/^cmb_[A-Za-z0-9_-]{43}$/);
    expect(looksLikeApiToken(secret)).toBe(true);
    expect(generateApiTokenSecret()).not.toBe(secret);
  });
});

describe('hashApiTokenSecret', () => {
  it('is the hex SHA-256 of the secret', () => {
    expect(hashApiTokenSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('looksLikeApiToken', () => {
  it.each([
    ['', false],
    ['cmb_short', false],
    [`xyz_${'a'.repeat(43)}`, false],
    [`cmb_${'a'.repeat(42)}=`, false],
    [`cmb_${'a'.repeat(43)}`, true],
  ])('%j → %s', (value, expected) => {
    expect(looksLikeApiToken(value)).toBe(expected);
  });
});

describe('parseBearerHeader', () => {
  it.each([
    [undefined, { kind: 'none' }],
    ['', { kind: 'none' }],
    ['Bearer cmb_x', { kind: 'bearer', token: 'cmb_x' }],
    ['bearer   cmb_x ', { kind: 'bearer', token: 'cmb_x' }],
    [['Bearer cmb_y'], { kind: 'bearer', token: 'cmb_y' }],
  ])('reads %j', (header, expected) => {
    expect(parseBearerHeader(header)).toEqual(expected);
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'cmb_x'])('calls %j malformed', (header) => {
    expect(parseBearerHeader(header).kind).toBe('malformed');
  });
});
