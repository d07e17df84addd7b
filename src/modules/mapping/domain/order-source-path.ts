/**
 * Paths into a Shopify order payload (REST `Order` resource, as webhooks send it) that `direct`, `lookup` and
 * `template` sources read. Dotted: `customer.email`, `shipping_address.country_code`, `payment_gateway_names.0`;
 * `note_attributes.<name>` reads the value of the note attribute of that name.
 */

/** The Order resource's top-level fields a mapping may read. */
export const ORDER_SOURCE_ROOTS: readonly string[] = [
  'app_id',
  'billing_address',
  'browser_ip',
  'buyer_accepts_marketing',
  'cancel_reason',
  'cancelled_at',
  'confirmation_number',
  'contact_email',
  'created_at',
  'currency',
  'current_subtotal_price',
  'current_total_discounts',
  'current_total_price',
  'current_total_tax',
  'customer',
  'customer_locale',
  'discount_codes',
  'email',
  'financial_status',
  'fulfillment_status',
  'id',
  'landing_site',
  'location_id',
  'name',
  'note',
  'note_attributes',
  'number',
  'order_number',
  'payment_gateway_names',
  'phone',
  'po_number',
  'presentment_currency',
  'processed_at',
  'referring_site',
  'shipping_address',
  'shipping_lines',
  'source_identifier',
  'source_name',
  'subtotal_price',
  'tags',
  'taxes_included',
  'total_discounts',
  'total_price',
  'total_tax',
  'total_weight',
  'updated_at',
  'user_id',
];

const PATH_PATTERN = /^[a-z_][a-z0-9_]*(\.[A-Za-z0-9_ -]+)*$/;
const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;

/** @description Why `path` cannot be read, or undefined when it can. */
export function sourcePathProblem(path: string): string | undefined {
  if (!PATH_PATTERN.test(path)) {
    return `'${path}' is not a dotted path into the Shopify order (e.g. customer.email, note_attributes.Gift)`;
  }
  const root = path.split('.')[0] ?? '';
  if (!ORDER_SOURCE_ROOTS.includes(root)) {
    return `'${root}' is not a field of the Shopify order`;
  }
  if (root === 'note_attributes' && path.split('.').length !== 2) {
    return `note_attributes takes the attribute's name: note_attributes.<name>`;
  }
  return undefined;
}

/** @description The paths of a template's `{{path}}` placeholders, in order. */
export function templatePaths(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

/**
 * @description The value at `path` in the order as text: strings as they are, numbers and booleans written out;
 * undefined for what is absent, empty, an object or a list of objects.
 */
export function readOrderPath(order: unknown, path: string): string | undefined {
  const [root = '', ...rest] = path.split('.');
  let value: unknown = field(order, root);
  if (root === 'note_attributes') {
    const name = rest[0];
    const attribute = Array.isArray(value)
      ? (value as unknown[]).find((entry) => field(entry, 'name') === name)
      : undefined;
    return asText(field(attribute, 'value'));
  }
  for (const segment of rest) {
    value =
      Array.isArray(value) && /^\d+$/.test(segment) ? (value as unknown[])[Number(segment)] : field(value, segment);
  }
  return asText(value);
}

/** @description The template with each placeholder replaced by its value ('' when absent). */
export function renderTemplate(template: string, order: unknown): string {
  return template.replace(PLACEHOLDER, (_match, path: string) => readOrderPath(order, path) ?? '');
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value.trim() === '' ? undefined : value;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.map(String).join(', ');
  }
  return undefined;
}
