import { Injectable, Logger } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { AdminKeyStore } from 'src/common/auth/admin-key-store.port';
import type { AdminCaller } from 'src/common/auth/admin-role';
import { errorMessage } from 'src/common/errors/app-error';
import { API_KEY_MARKER, hashApiKey } from 'src/modules/access/application/api-key-secret';
import { AdminApiKeyRepository } from 'src/modules/access/persistence/admin-api-key.repository';

/**
 * The admin API guard's look-up of stored keys (ADMIN_KEY_STORE): the presented key's SHA-256 finds the row by its
 * unique index, and the stored digest is compared again in constant time. A revoked key is unknown from the next
 * request on (nothing is cached). The use is recorded without delaying the request.
 */
@Injectable()
export class AuthenticateApiKey implements AdminKeyStore {
  private readonly logger = new Logger(AuthenticateApiKey.name);

  constructor(private readonly repository: AdminApiKeyRepository) {}

  async authenticate(token: string): Promise<AdminCaller | undefined> {
    if (!token.startsWith(API_KEY_MARKER)) {
      return undefined;
    }
    const digest = hashApiKey(token);
    const found = await this.repository.findActiveByHash(digest);
    if (found === null || found.hash.length !== digest.length || !timingSafeEqual(found.hash, digest)) {
      return undefined;
    }
    const { record } = found;
    this.repository.touch(record.id).catch((error: unknown) => {
      this.logger.warn({ keyId: record.id, error: errorMessage(error) }, 'could not record an admin API key use');
    });
    return { keyId: record.id, name: record.name, role: record.role, shops: record.shops };
  }
}
