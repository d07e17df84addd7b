import { Injectable } from '@nestjs/common';
import { MappingReader } from 'src/modules/mapping/application/mapping-reader.service';
import { MappingShops } from 'src/modules/mapping/application/mapping-shops';
import type { SaveMappingOutcome } from 'src/modules/mapping/domain/mapping.outcomes';
import type { OrderMappingConfig } from 'src/modules/mapping/domain/order-mapping.types';
import { validateOrderMapping } from 'src/modules/mapping/domain/validate-order-mapping';
import { MappingVersionRepository } from 'src/modules/mapping/persistence/mapping-version.repository';

/** @description A configuration to save as the shop's next version. */
export interface SaveMappingVersionInput {
  shop: string;
  config: OrderMappingConfig;
  /** Who saves it (the API key's principal). */
  actor: string;
  note?: string;
  /** Activate it at once; otherwise it is a draft to preview and activate later. */
  activate: boolean;
}

/**
 * Validates a configuration against the connector's capabilities and saves it as a new immutable version (never
 * changing an existing one); optionally activates it.
 */
@Injectable()
export class SaveMappingVersion {
  constructor(
    private readonly shops: MappingShops,
    private readonly reader: MappingReader,
    private readonly repository: MappingVersionRepository,
  ) {}

  async execute(input: SaveMappingVersionInput): Promise<SaveMappingOutcome> {
    const shop = await this.shops.resolve(input.shop);
    if (shop === undefined) {
      return { outcome: 'unknown_shop' };
    }
    const { connector, capabilities } = this.reader.capabilities();
    const errors = validateOrderMapping(input.config, capabilities, connector);
    if (errors.length > 0) {
      return { outcome: 'invalid', errors };
    }
    // Version 1 is the environment's; a first save becomes version 2.
    await this.reader.ensureBootstrapped(shop);
    const version = await this.repository.create(shop, input.config, input.actor, input.note);
    if (input.activate) {
      await this.repository.activate(shop, version.version, input.actor);
    }
    return { outcome: 'saved', version, active: input.activate };
  }
}
