import type { ErpWeight, ErpWeightUnit } from 'src/modules/erp/port/erp.types';

/** Unit names and abbreviations the ERPs use (NetSuite `lb`/`oz`/`kg`/`g`, Cin7 Core `WeightUnits`), lower-cased. */
const UNIT_NAMES: Readonly<Record<string, ErpWeightUnit>> = {
  g: 'GRAMS',
  gr: 'GRAMS',
  gram: 'GRAMS',
  grams: 'GRAMS',
  kg: 'KILOGRAMS',
  kgs: 'KILOGRAMS',
  kilogram: 'KILOGRAMS',
  kilograms: 'KILOGRAMS',
  oz: 'OUNCES',
  ounce: 'OUNCES',
  ounces: 'OUNCES',
  lb: 'POUNDS',
  lbs: 'POUNDS',
  pound: 'POUNDS',
  pounds: 'POUNDS',
};

/** @description An ERP's weight unit name as Shopify's `WeightUnit`; undefined for a unit Shopify has no name for. */
export function weightUnitOf(name: unknown): ErpWeightUnit | undefined {
  return typeof name === 'string' ? UNIT_NAMES[name.trim().toLowerCase()] : undefined;
}

/**
 * @description A weight value (JSON number or numeric string) and unit name as an ErpWeight, the value kept exact
 * as a decimal string. Undefined when either is missing, the value is not a non-negative decimal, or it is zero (an
 * ERP's unset weight reads as 0, which must not overwrite a weight kept in Shopify). Pure.
 */
export function toErpWeight(value: unknown, unitName: unknown): ErpWeight | undefined {
  const unit = weightUnitOf(unitName);
  const raw =
    typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (unit === undefined || !/^\d+(\.\d+)?$/.test(raw) || /^0+(\.0+)?$/.test(raw)) {
    return undefined;
  }
  return { value: raw, unit };
}
