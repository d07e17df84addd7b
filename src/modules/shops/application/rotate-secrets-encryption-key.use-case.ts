import { Injectable } from '@nestjs/common';
import { ShopDirectory } from 'src/modules/shops/application/shop-directory';
import { secretContext } from 'src/modules/shops/domain/resolve-shop';
import { SecretCipher, SecretDecryptError } from 'src/modules/shops/domain/secret-cipher';
import { SHOP_SECRET_FIELDS, type ShopRowPatch } from 'src/modules/shops/domain/shop.types';
import { ShopRepository } from 'src/modules/shops/persistence/shop.repository';

/** What a rotation did. Nothing is changed unless every stale secret could be re-encrypted. */
export type RotationOutcome =
  | { outcome: 'rotated'; keyId: string; reEncrypted: number; alreadyCurrent: number }
  | { outcome: 'key_missing' }
  | { outcome: 'unreadable'; shop: string; field: string; reason: string };

/**
 * @description Re-encrypts every stored secret sealed with another key (SECRETS_ENCRYPTION_KEY_PREVIOUS) with
 * SECRETS_ENCRYPTION_KEY, in one transaction holding every shop row, so replicas running it together do the work once.
 * Runs at start-up when a stale secret exists, and on demand (`rotateSecretsEncryptionKey`). Once it has run, the
 * previous key can be removed from the environment.
 */
@Injectable()
export class RotateSecretsEncryptionKey {
  constructor(
    private readonly repository: ShopRepository,
    private readonly cipher: SecretCipher,
    private readonly directory: ShopDirectory,
  ) {}

  async execute(): Promise<RotationOutcome> {
    const keyId = this.cipher.currentKeyId;
    if (keyId === undefined) {
      return { outcome: 'key_missing' };
    }
    const result = await this.repository.withAllLocked(async (rows, manager): Promise<RotationOutcome> => {
      let reEncrypted = 0;
      let alreadyCurrent = 0;
      const patches: Array<[string, ShopRowPatch]> = [];
      for (const row of rows) {
        const patch: ShopRowPatch = {};
        for (const field of SHOP_SECRET_FIELDS) {
          const sealed = row[field];
          if (sealed === null) {
            continue;
          }
          const context = secretContext(row.domain, field);
          try {
            if (!this.cipher.isStale(sealed)) {
              // Opened anyway: a rotation that reports success has proven every secret readable.
              this.cipher.decrypt(sealed, context);
              alreadyCurrent++;
              continue;
            }
            patch[field] = this.cipher.encrypt(this.cipher.decrypt(sealed, context), context);
            reEncrypted++;
          } catch (error: unknown) {
            if (error instanceof SecretDecryptError) {
              return { outcome: 'unreadable', shop: row.domain, field, reason: error.message };
            }
            throw error;
          }
        }
        if (Object.keys(patch).length > 0) {
          patches.push([row.domain, patch]);
        }
      }
      for (const [domain, patch] of patches) {
        await this.repository.update(domain, patch, manager);
      }
      return { outcome: 'rotated', keyId, reEncrypted, alreadyCurrent };
    });
    if (result.outcome === 'rotated' && result.reEncrypted > 0) {
      await this.directory.refresh(true);
    }
    return result;
  }

  /** True when some stored secret is sealed with another key than the current one (start-up rotates it). */
  async needed(): Promise<boolean> {
    if (!this.cipher.canEncrypt) {
      return false;
    }
    const rows = await this.repository.list();
    return rows.some((row) =>
      SHOP_SECRET_FIELDS.some((field) => {
        const sealed = row[field];
        return sealed !== null && isStaleOrMalformed(this.cipher, sealed);
      }),
    );
  }
}

function isStaleOrMalformed(cipher: SecretCipher, sealed: string): boolean {
  try {
    return cipher.isStale(sealed);
  } catch {
    return true;
  }
}
