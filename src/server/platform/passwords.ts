import { randomBytes, scrypt, timingSafeEqual, createHash } from 'node:crypto';

// scrypt parameters: N=2^15 costs ~100 ms and 32 MiB per hash, OWASP's recommended minimum.
const N = 32768;
const r = 8;
const p = 1;
const keyLength = 64;
const maxmem = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, n = N, rr = r, pp = p): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, keyLength, { N: n, r: rr, p: pp, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash`, base64url parts: the parameters travel with the hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

// Verifying against this when the user does not exist keeps response times alike.
const dummyHash = `scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$${'A'.repeat(86)}`;

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parts = (stored ?? dummyHash).split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, rr, pp, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(rr), Number(pp));
  return stored != null && expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Session ids and API tokens are stored only as this digest. */
export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A readable generated password for the first administrator. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
