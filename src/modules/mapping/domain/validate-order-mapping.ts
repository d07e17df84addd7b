import type { ErpOrderMappingCapabilities, ErpSectionTarget } from 'src/modules/erp';
import type { MappingFieldError, OrderMappingConfig } from 'src/modules/mapping/domain/order-mapping.types';
import { sourcePathProblem, templatePaths } from 'src/modules/mapping/domain/order-source-path';

/** Longest key or value the configuration accepts (ERP keys are far shorter; this stops pasted documents). */
export const MAX_VALUE_LENGTH = 300;
/** Most entries in one section or lookup table. */
export const MAX_ENTRIES = 500;

/** The section targets, which `fields` may not set (their own sections do). */
const SECTION_TARGETS: readonly ErpSectionTarget[] = [
  'paymentMethod',
  'paymentAccount',
  'shipMethod',
  'shippingItem',
  'taxCode',
  'location',
];

/**
 * Checks a configuration against the connector's capabilities. Pure. Returns every problem with its field path
 * (`shippingMethods[1].shipMethod`, `fields[0].source.path`), none when the configuration can be saved.
 */
export function validateOrderMapping(
  config: OrderMappingConfig,
  capabilities: ErpOrderMappingCapabilities,
  connector: string,
): MappingFieldError[] {
  const errors: MappingFieldError[] = [];
  const add = (path: string, message: string): void => {
    errors.push({ path, message });
  };
  const text = (path: string, value: string | undefined, required: boolean): void => {
    if (value === undefined) {
      if (required) {
        add(path, 'is required');
      }
    } else if (value.trim() === '') {
      add(path, 'must not be blank');
    } else if (value.length > MAX_VALUE_LENGTH) {
      add(path, `must be at most ${MAX_VALUE_LENGTH} characters`);
    }
  };
  const supports = (path: string, target: ErpSectionTarget, value: string | undefined): void => {
    if (value !== undefined && !capabilities.sections.includes(target)) {
      add(path, `${connector} has no ${target} to set (it writes: ${capabilities.sections.join(', ') || 'none'})`);
    }
  };
  const unique = <T>(section: string, entries: T[], key: (entry: T) => string, keyName: string): void => {
    if (entries.length > MAX_ENTRIES) {
      add(section, `must have at most ${MAX_ENTRIES} entries`);
    }
    const seen = new Map<string, number>();
    entries.forEach((entry, index) => {
      const value = key(entry).trim().toLowerCase();
      const first = seen.get(value);
      if (first !== undefined) {
        add(`${section}[${index}].${keyName}`, `duplicates ${section}[${first}].${keyName}`);
      } else {
        seen.set(value, index);
      }
    });
  };

  config.paymentGateways.forEach((entry, i) => {
    const at = `paymentGateways[${i}]`;
    text(`${at}.gateway`, entry.gateway, true);
    text(`${at}.paymentMethod`, entry.paymentMethod, false);
    text(`${at}.account`, entry.account, false);
    supports(`${at}.paymentMethod`, 'paymentMethod', entry.paymentMethod);
    supports(`${at}.account`, 'paymentAccount', entry.account);
    if (entry.paymentMethod === undefined && entry.account === undefined) {
      add(at, 'needs a paymentMethod or an account');
    }
  });
  unique('paymentGateways', config.paymentGateways, (e) => e.gateway, 'gateway');

  config.shippingMethods.forEach((entry, i) => {
    const at = `shippingMethods[${i}]`;
    text(`${at}.shopifyCode`, entry.shopifyCode, true);
    text(`${at}.shipMethod`, entry.shipMethod, false);
    text(`${at}.shippingItem`, entry.shippingItem, false);
    supports(`${at}.shipMethod`, 'shipMethod', entry.shipMethod);
    supports(`${at}.shippingItem`, 'shippingItem', entry.shippingItem);
    if (entry.shipMethod === undefined && entry.shippingItem === undefined) {
      add(at, 'needs a shipMethod or a shippingItem');
    }
  });
  unique('shippingMethods', config.shippingMethods, (e) => e.shopifyCode, 'shopifyCode');

  config.taxes.forEach((entry, i) => {
    const at = `taxes[${i}]`;
    text(`${at}.shopifyTitle`, entry.shopifyTitle, true);
    text(`${at}.taxCode`, entry.taxCode, true);
    supports(`${at}.taxCode`, 'taxCode', entry.taxCode);
  });
  unique('taxes', config.taxes, (e) => e.shopifyTitle, 'shopifyTitle');

  config.locations.forEach((entry, i) => {
    const at = `locations[${i}]`;
    text(`${at}.shopifyLocationId`, entry.shopifyLocationId, true);
    if (entry.shopifyLocationId !== '*' && !/^\d+$/.test(entry.shopifyLocationId.trim())) {
      add(`${at}.shopifyLocationId`, "must be a Shopify location id (digits) or '*'");
    }
    text(`${at}.erpLocation`, entry.erpLocation, true);
    supports(`${at}.erpLocation`, 'location', entry.erpLocation);
  });
  unique('locations', config.locations, (e) => e.shopifyLocationId, 'shopifyLocationId');

  config.skuOverrides.forEach((entry, i) => {
    text(`skuOverrides[${i}].shopifySku`, entry.shopifySku, true);
    text(`skuOverrides[${i}].erpSku`, entry.erpSku, true);
  });
  unique('skuOverrides', config.skuOverrides, (e) => e.shopifySku, 'shopifySku');

  config.fields.forEach((entry, i) => {
    const at = `fields[${i}]`;
    const problem = targetProblem(entry.target, capabilities, connector);
    if (problem !== undefined) {
      add(`${at}.target`, problem);
    }
    const source = entry.source;
    const path = (where: string, value: string): void => {
      const pathProblem = sourcePathProblem(value);
      if (pathProblem !== undefined) {
        add(where, pathProblem);
      }
    };
    switch (source.kind) {
      case 'direct':
        path(`${at}.source.path`, source.path);
        break;
      case 'constant':
        text(`${at}.source.value`, source.value, true);
        break;
      case 'lookup':
        path(`${at}.source.path`, source.path);
        if (source.table.length === 0) {
          add(`${at}.source.table`, 'needs at least one entry');
        }
        source.table.forEach((row, r) => {
          text(`${at}.source.table[${r}].key`, row.key, true);
          text(`${at}.source.table[${r}].value`, row.value, true);
        });
        unique(`${at}.source.table`, source.table, (row) => row.key, 'key');
        text(`${at}.source.default`, source.default, false);
        break;
      case 'template': {
        text(`${at}.source.template`, source.template, true);
        const paths = templatePaths(source.template);
        if (paths.length === 0 && source.template.includes('{{')) {
          add(`${at}.source.template`, 'has an unclosed {{placeholder}}');
        }
        paths.forEach((p) => path(`${at}.source.template`, p));
        break;
      }
      default:
        add(`${at}.source.kind`, 'must be direct, constant, lookup or template');
    }
  });
  unique('fields', config.fields, (e) => e.target, 'target');
  return errors;
}

function targetProblem(
  target: string,
  capabilities: ErpOrderMappingCapabilities,
  connector: string,
): string | undefined {
  if ((SECTION_TARGETS as readonly string[]).includes(target)) {
    return `${target} is set by its own section, not by fields`;
  }
  if (capabilities.fields.some((field) => field.name === target)) {
    return undefined;
  }
  const custom = capabilities.customFields;
  if (custom !== undefined && custom.pattern.test(target)) {
    return undefined;
  }
  const names = capabilities.fields.map((field) => field.name);
  const customHint = custom === undefined ? '' : ` or a custom field like ${custom.example}`;
  return `${connector} has no order field '${target}' (it has: ${names.join(', ') || 'none'}${customHint})`;
}
