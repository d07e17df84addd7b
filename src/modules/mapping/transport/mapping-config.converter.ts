import type { FieldSource, MappingVersion, OrderMappingConfig } from 'src/modules/mapping/domain/order-mapping.types';
import { FieldSourceKindValue } from 'src/modules/mapping/transport/mapping-enums';
import type { MappingVersionModel } from 'src/modules/mapping/transport/models/mapping-version.model';
import type {
  FieldSourceModel,
  OrderMappingConfigModel,
} from 'src/modules/mapping/transport/models/order-mapping-config.model';

/** The API's flat field source as the domain's union; a missing part stays blank for validation to name. */
export function toFieldSource(model: FieldSourceModel): FieldSource {
  switch (model.kind) {
    case FieldSourceKindValue.DIRECT:
      return { kind: 'direct', path: model.path ?? '' };
    case FieldSourceKindValue.CONSTANT:
      return { kind: 'constant', value: model.value ?? '' };
    case FieldSourceKindValue.LOOKUP:
      return {
        kind: 'lookup',
        path: model.path ?? '',
        table: (model.table ?? []).map(({ key, value }) => ({ key, value })),
        ...(model.default === undefined || model.default === null ? {} : { default: model.default }),
      };
    case FieldSourceKindValue.TEMPLATE:
      return { kind: 'template', template: model.template ?? '' };
    default:
      return { kind: 'template', template: '' };
  }
}

/** Only the keys a value was given for (GraphQL passes absent optional fields as null). */
function present<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}

export function toDomainConfig(model: OrderMappingConfigModel): OrderMappingConfig {
  return {
    paymentGateways: (model.paymentGateways ?? []).map((e) => present({ ...e })),
    shippingMethods: (model.shippingMethods ?? []).map((e) => present({ ...e })),
    taxes: (model.taxes ?? []).map((e) => present({ ...e })),
    locations: (model.locations ?? []).map((e) => present({ ...e })),
    fields: (model.fields ?? []).map((e) => ({ target: e.target, source: toFieldSource(e.source) })),
    skuOverrides: (model.skuOverrides ?? []).map((e) => present({ ...e })),
  };
}

export function toConfigModel(config: OrderMappingConfig): OrderMappingConfigModel {
  return {
    paymentGateways: config.paymentGateways,
    shippingMethods: config.shippingMethods,
    taxes: config.taxes,
    locations: config.locations,
    fields: config.fields.map((field) => ({
      target: field.target,
      source: { ...field.source, kind: field.source.kind as FieldSourceKindValue },
    })),
    skuOverrides: config.skuOverrides,
  };
}

export function toVersionModel(version: MappingVersion, activeVersion: number | undefined): MappingVersionModel {
  return {
    shop: version.shop,
    version: version.version,
    active: version.version === activeVersion,
    createdBy: version.createdBy,
    createdAt: version.createdAt,
    note: version.note ?? null,
    config: toConfigModel(version.config),
  };
}
