import { describe, expect, it } from 'vitest';
import { digest, generatePassword, hashPassword, randomSecret, verifyPassword } from './passwords.js';

describe('password hashing', () => {
  it('hashes with scrypt, parameters and salt travelling with the hash', async () => {
    const hash = await hashPassword('correct horse battery staple');
    const parts = hash.split('$');
    expect(parts).toHaveLength(6);
    expect(parts.slice(0, 4)).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(parts[4]!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(parts[5]!, 'base64url')).toHaveLength(64);
    expect(hash).not.toContain('correct horse');
  });

  it('salts every hash: the same password hashes differently', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('s3cret-Pässword');
    expect(await verifyPassword('s3cret-Pässword', hash)).toBe(true);
    expect(await verifyPassword('s3cret-Password', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('normalises Unicode, so a composed and a decomposed é are the same password', async () => {
    const hash = await hashPassword('caf\u00e9-password');
    expect(await verifyPassword('cafe\u0301-password', hash)).toBe(true);
  });

  it('refuses a tampered hash', async () => {
    const hash = await hashPassword('tamper-proof');
    const parts = hash.split('$');
    const key = Buffer.from(parts[5]!, 'base64url');
    key[0] = key[0]! ^ 0xff;
    const flipped = [...parts.slice(0, 5), key.toString('base64url')].join('$');
    expect(await verifyPassword('tamper-proof', flipped)).toBe(false);
    const otherSalt = [...parts.slice(0, 4), Buffer.alloc(16, 1).toString('base64url'), parts[5]].join('$');
    expect(await verifyPassword('tamper-proof', otherSalt)).toBe(false);
    const truncated = [...parts.slice(0, 5), key.subarray(0, 32).toString('base64url')].join('$');
    expect(await verifyPassword('tamper-proof', truncated)).toBe(false);
  });

  it('refuses hashes it does not understand and users without a password', async () => {
    expect(await verifyPassword('x', 'bcrypt$2b$10$abc$def$ghi')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$only$three')).toBe(false);
    expect(await verifyPassword('x', null)).toBe(false);
    expect(await verifyPassword('x', undefined)).toBe(false);
    // the stand-in hash for unknown users never verifies, whatever is typed
    expect(await verifyPassword('', null)).toBe(false);
  });
});

describe('secrets', () => {
  it('digests are stable sha256 in base64url', () => {
    expect(digest('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    expect(digest('abc')).toBe(digest('abc'));
    expect(digest('abd')).not.toBe(digest('abc'));
  });

  it('random secrets and generated passwords are long, URL-safe and unique', () => {
    const secrets = new Set(Array.from({ length: 50 }, () => randomSecret()));
    expect(secrets.size).toBe(50);
    for (const s of secrets) expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomSecret(8)).toHaveLength(11);
    const password = generatePassword();
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(generatePassword()).not.toBe(password);
  });
});
