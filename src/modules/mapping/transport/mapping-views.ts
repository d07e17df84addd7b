import type { ErpOrderMappingCapabilities } from 'src/modules/erp';
import type { ShopOwnershipPolicy } from 'src/modules/mapping/application/ownership-policy.service';
import type { OwnedEntityValue, SyncOwnerValue } from 'src/modules/mapping/transport/mapping-enums';
import type { MappingTargetsModel } from 'src/modules/mapping/transport/models/mapping-targets.model';
import type { OwnershipPolicyModel } from 'src/modules/mapping/transport/models/ownership-policy.model';

export function toTargetsModel(connector: string, capabilities: ErpOrderMappingCapabilities): MappingTargetsModel {
  return {
    connector,
    sections: [...capabilities.sections],
    fields: capabilities.fields.map((field) => ({ ...field })),
    customFieldExample: capabilities.customFields?.example ?? null,
  };
}

export function toPolicyModel(policy: ShopOwnershipPolicy): OwnershipPolicyModel {
  return {
    shop: policy.shop,
    rules: policy.rules.map((rule) => ({
      entity: rule.entity as OwnedEntityValue,
      field: rule.field,
      owner: rule.owner as SyncOwnerValue,
    })),
    updatedBy: policy.updatedBy ?? null,
    updatedAt: policy.updatedAt ?? null,
  };
}

/** Why a roll back to a version never active is refused, and what puts a draft live instead. */
export const NEVER_ACTIVE =
  'a roll back returns to a version that has been active; a draft goes live through activateOrderMapping (admin)';
