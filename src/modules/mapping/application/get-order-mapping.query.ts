import { Injectable } from '@nestjs/common';
import { MappingReader } from 'src/modules/mapping/application/mapping-reader.service';
import { MappingShops } from 'src/modules/mapping/application/mapping-shops';
import type { MappingVersion } from 'src/modules/mapping/domain/order-mapping.types';

export type GetMappingOutcome =
  | { outcome: 'found'; version: MappingVersion; activeVersion: number }
  | { outcome: 'not_found' }
  | { outcome: 'unknown_shop' };

export type ListMappingOutcome =
  { outcome: 'found'; versions: MappingVersion[]; total: number; activeVersion: number } | { outcome: 'unknown_shop' };

/** The reads of the admin API: a version (the active one by default) and the history, newest first. */
@Injectable()
export class GetOrderMapping {
  constructor(
    private readonly shops: MappingShops,
    private readonly reader: MappingReader,
  ) {}

  async version(shopName: string, version?: number | null): Promise<GetMappingOutcome> {
    const shop = await this.shops.resolve(shopName);
    if (shop === undefined) {
      return { outcome: 'unknown_shop' };
    }
    const active = await this.reader.active(shop);
    if (version === undefined || version === null || version === active.version) {
      return { outcome: 'found', version: active, activeVersion: active.version };
    }
    const found = await this.reader.version(shop, version);
    return found === null
      ? { outcome: 'not_found' }
      : { outcome: 'found', version: found, activeVersion: active.version };
  }

  async list(shopName: string, first: number, before?: number): Promise<ListMappingOutcome> {
    const shop = await this.shops.resolve(shopName);
    if (shop === undefined) {
      return { outcome: 'unknown_shop' };
    }
    const active = await this.reader.active(shop);
    const { versions, total } = await this.reader.list(shop, first, before);
    return { outcome: 'found', versions, total, activeVersion: active.version };
  }
}
