import { Injectable, Logger } from '@nestjs/common';
import type { AdminCaller } from 'src/common/auth/admin-role';
import type { RevokeApiKeyResult } from 'src/modules/access/domain/api-key.types';
import { AdminApiKeyRepository } from 'src/modules/access/persistence/admin-api-key.repository';

/** Revokes a stored key: refused from the next request on. The row stays, with when it was revoked. */
@Injectable()
export class RevokeApiKey {
  private readonly logger = new Logger(RevokeApiKey.name);

  constructor(private readonly repository: AdminApiKeyRepository) {}

  async execute(id: string, revokedBy: AdminCaller): Promise<RevokeApiKeyResult> {
    const revoked = await this.repository.revoke(id);
    if (revoked !== null) {
      this.logger.log({ keyId: id, prefix: revoked.prefix, by: revokedBy.name }, 'admin API key revoked');
      return { outcome: 'revoked', apiKey: revoked };
    }
    const existing = await this.repository.findById(id);
    return existing === null ? { outcome: 'not_found' } : { outcome: 'already_revoked', apiKey: existing };
  }
}
