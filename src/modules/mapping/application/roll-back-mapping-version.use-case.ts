import { Injectable } from '@nestjs/common';
import { MappingReader } from 'src/modules/mapping/application/mapping-reader.service';
import { MappingShops } from 'src/modules/mapping/application/mapping-shops';
import type { RollBackMappingOutcome } from 'src/modules/mapping/domain/mapping.outcomes';
import { MappingVersionRepository } from 'src/modules/mapping/persistence/mapping-version.repository';

/**
 * An operator's roll back: makes a version that has been active before the active one again — by default the one
 * active before the current. A version never active (a draft) is refused: putting new configuration live is an
 * activation, an admin's. Rolling back to the version already active changes nothing, so a retried call is harmless.
 */
@Injectable()
export class RollBackMappingVersion {
  constructor(
    private readonly shops: MappingShops,
    private readonly reader: MappingReader,
    private readonly repository: MappingVersionRepository,
  ) {}

  async execute(input: { shop: string; version?: number; actor: string }): Promise<RollBackMappingOutcome> {
    const shop = await this.shops.resolve(input.shop);
    if (shop === undefined) {
      return { outcome: 'unknown_shop' };
    }
    await this.reader.ensureBootstrapped(shop);
    const from = await this.repository.activeVersion(shop);
    const target = input.version ?? (await this.repository.previouslyActive(shop));
    if (target === null || from === null) {
      return { outcome: 'nothing_to_roll_back' };
    }
    const version = await this.repository.find(shop, target);
    if (version === null) {
      return { outcome: 'not_found' };
    }
    if (target === from) {
      return { outcome: 'rolled_back', version, from };
    }
    if (!(await this.repository.reactivate(shop, target, input.actor))) {
      return { outcome: 'never_active', version: target };
    }
    return { outcome: 'rolled_back', version, from };
  }
}
