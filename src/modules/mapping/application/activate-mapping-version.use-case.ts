import { Injectable } from '@nestjs/common';
import { MappingReader } from 'src/modules/mapping/application/mapping-reader.service';
import { MappingShops } from 'src/modules/mapping/application/mapping-shops';
import type { ActivateMappingOutcome } from 'src/modules/mapping/domain/mapping.outcomes';
import { MappingVersionRepository } from 'src/modules/mapping/persistence/mapping-version.repository';

/**
 * Makes a saved version the shop's active one: a newer draft goes live, an older one is a roll back. The next order
 * the writers map uses it; orders already written keep the version recorded with them.
 */
@Injectable()
export class ActivateMappingVersion {
  constructor(
    private readonly shops: MappingShops,
    private readonly reader: MappingReader,
    private readonly repository: MappingVersionRepository,
  ) {}

  async execute(input: { shop: string; version: number; actor: string }): Promise<ActivateMappingOutcome> {
    const shop = await this.shops.resolve(input.shop);
    if (shop === undefined) {
      return { outcome: 'unknown_shop' };
    }
    await this.reader.ensureBootstrapped(shop);
    const version = await this.repository.find(shop, input.version);
    if (version === null || !(await this.repository.activate(shop, input.version, input.actor))) {
      return { outcome: 'not_found' };
    }
    return { outcome: 'activated', version };
  }
}
