import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** What a token lets its bearer do; a token for one purpose is refused for every other. */
export type TokenPurpose = 'confirm' | 'manage' | 'unsubscribe' | 'feedback';

const PURPOSE_CODES: Record<TokenPurpose, number> = { confirm: 1, manage: 2, unsubscribe: 3, feedback: 4 };
const VERSION = 1;
const TAG_BYTES = 12;

export interface TokenClaims {
  purpose: TokenPurpose;
  subscriberId: number;
  /** The paper a feedback token is about (tokens in digests sent before 2026-12 name one), 0 otherwise. */
  paperId: number;
  /** Null: never expires (unsubscribe links in old emails must keep working). */
  expiresAt: Date | null;
}

export type TokenCheck =
  | { status: 'valid'; claims: TokenClaims }
  | { status: 'expired'; claims: TokenClaims }
  | { status: 'invalid' };

export interface TokenSigner {
  sign(claims: TokenClaims): string;
  verify(token: string, purpose: TokenPurpose, now: Date): TokenCheck;
}

/**
 * Opaque, signed tokens for links in emails: 16 bytes of claims (purpose, subscriber id, paper id, expiry)
 * encrypted as one AES-256 block, so no id shows in a URL, then an HMAC-SHA256 tag over the ciphertext
 * (encrypt-then-MAC). Keys are derived from SECRET with HKDF. 38 URL-safe characters.
 */
export function createTokenSigner(secret: string): TokenSigner {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, 'papermail tokens', info, 32));
  const encryptionKey = derive('encryption');
  const macKey = derive('authentication');
  const tagOf = (ciphertext: Buffer) => createHmac('sha256', macKey).update(ciphertext).digest().subarray(0, TAG_BYTES);

  return {
    sign({ purpose, subscriberId, paperId, expiresAt }) {
      if (!Number.isSafeInteger(subscriberId) || subscriberId < 0 || subscriberId >= 2 ** 48) throw new RangeError('subscriber id out of range');
      if (!Number.isInteger(paperId) || paperId < 0 || paperId >= 2 ** 32) throw new RangeError('paper id out of range');
      const block = Buffer.alloc(16);
      block.writeUInt8(VERSION, 0);
      block.writeUInt8(PURPOSE_CODES[purpose], 1);
      block.writeUIntBE(subscriberId, 2, 6);
      block.writeUInt32BE(paperId, 8);
      block.writeUInt32BE(expiresAt ? Math.ceil(expiresAt.getTime() / 1000) : 0, 12);
      const cipher = createCipheriv('aes-256-ecb', encryptionKey, null).setAutoPadding(false);
      const ciphertext = Buffer.concat([cipher.update(block), cipher.final()]);
      return Buffer.concat([ciphertext, tagOf(ciphertext)]).toString('base64url');
    },
    verify(token, purpose, now) {
      if (!/^[A-Za-z0-9_-]{38}$/.test(token)) return { status: 'invalid' };
      const raw = Buffer.from(token, 'base64url');
      const ciphertext = raw.subarray(0, 16);
      if (!timingSafeEqual(raw.subarray(16), tagOf(ciphertext))) return { status: 'invalid' };
      const decipher = createDecipheriv('aes-256-ecb', encryptionKey, null).setAutoPadding(false);
      const block = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      if (block.readUInt8(0) !== VERSION || block.readUInt8(1) !== PURPOSE_CODES[purpose]) return { status: 'invalid' };
      const expiresSeconds = block.readUInt32BE(12);
      const claims: TokenClaims = {
        purpose,
        subscriberId: block.readUIntBE(2, 6),
        paperId: block.readUInt32BE(8),
        expiresAt: expiresSeconds === 0 ? null : new Date(expiresSeconds * 1000),
      };
      if (claims.expiresAt && claims.expiresAt.getTime() <= now.getTime()) return { status: 'expired', claims };
      return { status: 'valid', claims };
    },
  };
}
