import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { parsePaymentMethodMap } from 'src/config/payment-method-map.parser';
import { parsePaymentTermsMap } from 'src/config/payment-terms-map.parser';
import { parseTrackingCompanyMap } from 'src/config/tracking-company-map.parser';

/** Shortest admin or metrics key accepted: 32 characters are out of reach of guessing over HTTP. */
export const MIN_API_KEY_LENGTH = 32;

/**
 * A comma-separated list of keys, each at least `min` characters; the message names the key by its position, never
 * its value (the variable is a secret).
 */
export function EachKeyAtLeast(min: number): PropertyDecorator {
  const shortKey = (value: unknown): number =>
    typeof value !== 'string'
      ? 0
      : value
          .split(',')
          .map((key) => key.trim())
          .filter((key) => key.length > 0)
          .findIndex((key) => key.length < min) + 1;
  return ValidateBy({
    name: 'eachKeyAtLeast',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && shortKey(value) === 0,
      defaultMessage: (args) =>
        `must hold keys of at least ${min} characters each (key ${shortKey(args?.value)} is shorter)`,
    },
  });
}

/** A port other than the one `other` (a property of the same object, e.g. PORT) names. */
export function DiffersFrom(other: string): PropertyDecorator {
  return ValidateBy({
    name: 'differsFrom',
    validator: {
      validate: (value: unknown, args) => value !== (args?.object as Record<string, unknown> | undefined)?.[other],
      defaultMessage: () => `must differ from ${other}`,
    },
  });
}

/**
 * @description A 256-bit key written as 64 hex digits or as base64 (44 characters, `openssl rand -base64 32`); the
 * bytes, or undefined when the text is neither.
 */
export function decodeEncryptionKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    return Buffer.from(trimmed, 'hex');
  }
  if (/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed, 'base64');
    return bytes.length === 32 ? bytes : undefined;
  }
  return undefined;
}

/** A 32-byte key (see decodeEncryptionKey); the message never shows the value (the variable is a secret). */
export function IsEncryptionKey(): PropertyDecorator {
  return ValidateBy({
    name: 'isEncryptionKey',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && decodeEncryptionKey(value) !== undefined,
      defaultMessage: () => 'must be 32 bytes written as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)',
    },
  });
}

/** SHOPIFY_TRACKING_COMPANY_MAP's syntax (tracking-company-map.parser.ts); the message says what is wrong. */
export function IsTrackingCompanyMap(): PropertyDecorator {
  return ValidateBy({
    name: 'isTrackingCompanyMap',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseTrackingCompanyMap(value).ok,
      defaultMessage: (args) => {
        const parsed = typeof args?.value === 'string' ? parseTrackingCompanyMap(args.value) : undefined;
        const problem = parsed === undefined || parsed.ok ? 'must be a string' : parsed.reason;
        return `${problem}; expected a JSON object of ERP carrier names to Shopify tracking company names`;
      },
    },
  });
}

export const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() !== '' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/** URLs of settings: a scheme required, a host without a TLD allowed (internal names, 127.0.0.1). */
export const urlOptions = { require_tld: false, require_protocol: true };

/** An optional integer setting within [min, max]; its default is the property's initialiser. */
export const IntSetting = (min: number, max: number): PropertyDecorator =>
  applyDecorators(IsOptional(), Transform(toInt), IsInt(), Min(min), Max(max));

/** ERP_PAYMENT_METHOD_MAP's syntax (payment-method-map.parser.ts); the message says what is wrong. */
export function IsPaymentMethodMap(): PropertyDecorator {
  return ValidateBy({
    name: 'isPaymentMethodMap',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parsePaymentMethodMap(value).ok,
      defaultMessage: (args) => {
        const parsed = typeof args?.value === 'string' ? parsePaymentMethodMap(args.value) : undefined;
        const problem = parsed === undefined || parsed.ok ? 'must be a string' : parsed.reason;
        return `${problem}; expected a JSON object of Shopify payment gateway names to the ERP's payment methods`;
      },
    },
  });
}

/** ERP_PAYMENT_TERMS_MAP's syntax (payment-terms-map.parser.ts); the message says what is wrong. */
export function IsPaymentTermsMap(): PropertyDecorator {
  return ValidateBy({
    name: 'isPaymentTermsMap',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parsePaymentTermsMap(value).ok,
      defaultMessage: (args) => {
        const parsed = typeof args?.value === 'string' ? parsePaymentTermsMap(args.value) : undefined;
        const problem = parsed === undefined || parsed.ok ? 'must be a string' : parsed.reason;
        return `${problem}; expected a JSON object of Shopify payment terms names to the ERP's terms`;
      },
    },
  });
}
