import { Injectable, Logger } from '@nestjs/common';
import { normaliseShop, type AdminCaller } from 'src/common/auth/admin-role';
import { issueApiKey } from 'src/modules/access/application/api-key-secret';
import type { ApiKeyRecord, NewApiKey } from 'src/modules/access/domain/api-key.types';
import { AdminApiKeyRepository } from 'src/modules/access/persistence/admin-api-key.repository';

/** @description A created key: its record, and the key itself, which is shown this once and stored only hashed. */
export interface CreatedApiKey {
  apiKey: ApiKeyRecord;
  key: string;
}

/** Issues a new admin API key with a role and an optional shop scope (shops lower-cased, duplicates dropped). */
@Injectable()
export class CreateApiKey {
  private readonly logger = new Logger(CreateApiKey.name);

  constructor(private readonly repository: AdminApiKeyRepository) {}

  async execute(input: NewApiKey, createdBy: AdminCaller): Promise<CreatedApiKey> {
    const issued = issueApiKey();
    const shops = input.shops === null ? null : [...new Set(input.shops.map(normaliseShop))].sort();
    const apiKey = await this.repository.insert(
      { name: input.name.trim(), role: input.role, shops },
      issued.hash,
      issued.prefix,
      createdBy.keyId === null ? createdBy.name : `${createdBy.name} (key ${createdBy.keyId})`,
    );
    this.logger.log(
      { keyId: apiKey.id, prefix: apiKey.prefix, role: apiKey.role, shops: apiKey.shops, by: apiKey.createdBy },
      'admin API key created',
    );
    return { apiKey, key: issued.key };
  }
}
