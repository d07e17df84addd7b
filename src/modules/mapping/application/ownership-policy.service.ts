import { Injectable } from '@nestjs/common';
import { MappingShops } from 'src/modules/mapping/application/mapping-shops';
import type { MappingFieldError } from 'src/modules/mapping/domain/order-mapping.types';
import {
  ownerOf,
  validateOwnershipRules,
  withDefaults,
  type OwnedEntity,
  type OwnershipPolicy,
  type OwnershipRule,
  type SyncOwner,
} from 'src/modules/mapping/domain/ownership-policy';
import { OwnershipPolicyRepository } from 'src/modules/mapping/persistence/ownership-policy.repository';

/** @description A shop's policy as the API shows it. */
export interface ShopOwnershipPolicy extends OwnershipPolicy {
  shop: string;
  /** Who changed it last; undefined while the shop runs on the defaults. */
  updatedBy?: string;
  updatedAt?: Date;
}

export type ChangeOwnershipOutcome =
  | { outcome: 'changed'; policy: ShopOwnershipPolicy }
  | { outcome: 'invalid'; errors: MappingFieldError[] }
  | { outcome: 'unknown_shop' };

/**
 * The source-of-truth policy of each shop: read by every writer before it writes (product sync, inventory push,
 * fulfilments, the order writer), changed by operators through the admin API.
 */
@Injectable()
export class OwnershipPolicyService {
  constructor(
    private readonly shops: MappingShops,
    private readonly repository: OwnershipPolicyRepository,
  ) {}

  /** The shop's policy (the defaults where it names nothing). */
  async policy(shop: string): Promise<ShopOwnershipPolicy> {
    const name = shop.trim().toLowerCase();
    const stored = await this.repository.find(name);
    return stored === null
      ? { shop: name, ...withDefaults([]) }
      : { shop: name, ...withDefaults(stored.rules), updatedBy: stored.updatedBy, updatedAt: stored.updatedAt };
  }

  /** The policy of a configured shop, for the admin API; undefined for a shop that is not configured. */
  async read(shop: string): Promise<ShopOwnershipPolicy | undefined> {
    const name = await this.shops.resolve(shop);
    return name === undefined ? undefined : this.policy(name);
  }

  /** Who owns one field of one entity for this shop. */
  async owner(shop: string, entity: OwnedEntity, field: string): Promise<SyncOwner> {
    return ownerOf(await this.policy(shop), entity, field);
  }

  /** Sets the owners named in `rules` (others keep theirs); all or nothing. */
  async change(input: { shop: string; rules: OwnershipRule[]; actor: string }): Promise<ChangeOwnershipOutcome> {
    const shop = await this.shops.resolve(input.shop);
    if (shop === undefined) {
      return { outcome: 'unknown_shop' };
    }
    const errors = validateOwnershipRules(input.rules);
    if (errors.length > 0) {
      return { outcome: 'invalid', errors };
    }
    const current = await this.policy(shop);
    const merged = withDefaults([
      ...input.rules,
      ...current.rules.filter((r) => !input.rules.some((n) => n.entity === r.entity && n.field === r.field)),
    ]);
    const saved = await this.repository.save(shop, merged.rules, input.actor);
    return {
      outcome: 'changed',
      policy: { shop, ...withDefaults(saved.rules), updatedBy: saved.updatedBy, updatedAt: saved.updatedAt },
    };
  }
}
