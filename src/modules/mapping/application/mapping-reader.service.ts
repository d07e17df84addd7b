import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { ERP_PORT, type ErpOrderMappingCapabilities, type ErpPort } from 'src/modules/erp';
import type { MappingToApply } from 'src/modules/mapping/domain/apply-order-mapping';
import { defaultMappingConfig } from 'src/modules/mapping/domain/default-mapping';
import type { ActiveMapping, MappingVersion } from 'src/modules/mapping/domain/order-mapping.types';
import { ownerOf, withDefaults, type SyncOwner } from 'src/modules/mapping/domain/ownership-policy';
import { MappingVersionRepository } from 'src/modules/mapping/persistence/mapping-version.repository';

/** Who saved a shop's first version. */
export const BOOTSTRAP_ACTOR = 'bootstrap (environment)';

/**
 * Reads mapping versions, creating a shop's version 1 from the environment the first time anything asks (so that
 * the environment values are what version 1 holds, and every later version is a change an operator made).
 */
@Injectable()
export class MappingReader {
  /** Versions are immutable: a configuration read once per (shop, version) serves every later order. */
  private readonly versions = new Map<string, MappingToApply>();

  constructor(
    private readonly repository: MappingVersionRepository,
    @Inject(ERP_PORT) private readonly erp: ErpPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The connector's name and what its sales orders let a mapping set. */
  capabilities(): { connector: string; capabilities: ErpOrderMappingCapabilities } {
    return { connector: this.erp.name, capabilities: this.erp.orderMapping };
  }

  async active(shop: string): Promise<ActiveMapping> {
    await this.ensureBootstrapped(shop);
    const active = await this.repository.active(shop);
    if (active === null) {
      throw new Error(`shop ${shop} has no active mapping after its bootstrap`);
    }
    return active;
  }

  async version(shop: string, version: number): Promise<MappingVersion | null> {
    await this.ensureBootstrapped(shop);
    return this.repository.find(shop, version);
  }

  async list(shop: string, first: number, before?: number): Promise<{ versions: MappingVersion[]; total: number }> {
    await this.ensureBootstrapped(shop);
    const [versions, total] = await Promise.all([
      this.repository.list(shop, first, before),
      this.repository.count(shop),
    ]);
    return { versions, total };
  }

  /**
   * The version that maps the shop's next order and who owns orders: one round trip per order (an activation or a
   * policy change takes effect with the next order in every worker), the configuration from memory after its first
   * read.
   */
  async forOrders(shop: string): Promise<{ mapping: MappingToApply; orderOwner: SyncOwner }> {
    let settings = await this.repository.orderSettings(shop);
    if (settings.version === null) {
      await this.ensureBootstrapped(shop);
      settings = await this.repository.orderSettings(shop);
    }
    return {
      mapping: await this.forVersion(shop, settings.version ?? 1),
      orderOwner: ownerOf(withDefaults(settings.rules ?? []), 'order', 'order'),
    };
  }

  /** A given version as the order mapping applies it; undefined when the shop has no such version. */
  async forVersion(shop: string, version: number): Promise<MappingToApply> {
    const key = `${shop}\u0000${version}`;
    const cached = this.versions.get(key);
    if (cached !== undefined) {
      return cached;
    }
    const found = await this.version(shop, version);
    if (found === null) {
      throw new Error(`shop ${shop} has no mapping version ${version}`);
    }
    const mapping = { version: found.version, config: found.config };
    this.versions.set(key, mapping);
    return mapping;
  }

  async ensureBootstrapped(shop: string): Promise<void> {
    if ((await this.repository.activeVersion(shop)) !== null) {
      return;
    }
    await this.repository.bootstrap(
      shop,
      defaultMappingConfig(this.config.erp, this.config.inventory.locationMap),
      BOOTSTRAP_ACTOR,
      'Version 1: the values the environment configured',
    );
  }
}
