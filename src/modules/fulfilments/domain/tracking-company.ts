/**
 * ERP carrier / ship method → Shopify tracking company. Shopify builds the tracking link itself only for the company
 * names it supports (FulfillmentTrackingInfo.company, "Supported tracking companies"), so an ERP's "UPS Ground",
 * "FEDEX_GROUND" or "fedex 2day" has to become "UPS" or "FedEx". Pure.
 */

/** @description ERP carrier or ship-method names (any case and spelling) → Shopify tracking company names. */
export type TrackingCompanyMap = Readonly<Record<string, string>>;

/** @description What the fulfilment's `trackingInfo` gets from the ERP's carrier. */
export interface TrackingCompanyResolution {
  /** The Shopify name, or the ERP's name as given when no rule knows it; undefined only without a carrier. */
  company?: string;
  /** How the name was found: `override` (configuration), `default` (the built-in table), `as-given` (unknown). */
  source?: 'override' | 'default' | 'as-given';
}

/**
 * Shopify's supported names that the built-in rules produce, each with the spellings ERPs use for it (whole words of
 * the normalised name: lower case, anything but letters and digits as spaces). The first rule that matches wins, so the more
 * specific ones (DHL eCommerce, DPD UK) come before the general ones (DHL, DPD).
 */
const DEFAULT_RULES: ReadonlyArray<{ company: string; words: readonly string[] }> = [
  { company: 'DHL eCommerce', words: ['dhl ecommerce', 'dhl e commerce', 'dhl global mail', 'dhlglobalmail'] },
  { company: 'DHL Express', words: ['dhl'] },
  { company: 'FedEx', words: ['fedex', 'fed ex', 'federal express', 'fdx'] },
  { company: 'UPS', words: ['ups', 'united parcel service'] },
  {
    company: 'USPS',
    words: [
      'usps',
      'us postal service',
      'united states postal service',
      'priority mail',
      'first class mail',
      'stamps com',
    ],
  },
  { company: 'Canada Post', words: ['canada post', 'postes canada', 'canadapost'] },
  { company: 'Royal Mail', words: ['royal mail', 'royalmail'] },
  { company: 'Australia Post', words: ['australia post', 'auspost', 'australiapost'] },
  { company: 'New Zealand Post', words: ['new zealand post', 'nz post', 'nzpost'] },
  { company: 'DPD UK', words: ['dpd uk'] },
  { company: 'DPD Local', words: ['dpd local'] },
  { company: 'DPD', words: ['dpd'] },
  { company: 'Evri', words: ['evri', 'hermes'] },
  { company: 'GLS', words: ['gls'] },
  { company: 'TNT', words: ['tnt'] },
  { company: 'Purolator', words: ['purolator'] },
  { company: 'Canpar', words: ['canpar'] },
  { company: 'OnTrac', words: ['ontrac'] },
  { company: 'Lasership', words: ['lasership'] },
  { company: 'Deutsche Post', words: ['deutsche post'] },
  { company: 'La Poste', words: ['la poste'] },
  { company: 'Colissimo', words: ['colissimo'] },
  { company: 'Chronopost', words: ['chronopost'] },
  { company: 'PostNord', words: ['postnord', 'post nord'] },
  { company: 'Swiss Post', words: ['swiss post'] },
  { company: 'An Post', words: ['an post'] },
  { company: 'Correos', words: ['correos'] },
  { company: 'Correios', words: ['correios'] },
  { company: 'StarTrack', words: ['startrack', 'star track'] },
  { company: 'Sendle', words: ['sendle'] },
  { company: 'Whistl', words: ['whistl'] },
  { company: 'SF Express', words: ['sf express'] },
  { company: 'YunExpress', words: ['yunexpress', 'yun express'] },
  { company: 'China Post', words: ['china post'] },
  { company: 'Singapore Post', words: ['singapore post', 'singpost'] },
  { company: 'Japan Post (EN)', words: ['japan post'] },
  { company: 'Estes', words: ['estes'] },
  { company: 'XPO Logistics', words: ['xpo'] },
  { company: 'Asendia USA', words: ['asendia'] },
  { company: 'Amazon Logistics US', words: ['amazon logistics', 'amazon shipping'] },
];

/** @description The built-in names, for documentation and tests. */
export const DEFAULT_TRACKING_COMPANIES: readonly string[] = DEFAULT_RULES.map((rule) => rule.company);

/**
 * @description The Shopify tracking company of an ERP carrier: a configured override for that exact name (compared
 * normalised) first, then the built-in table, else the ERP's name as given (trimmed): Shopify accepts any company,
 * it only builds no link for one it does not know, so the fulfilment still says who carries it and the feed's own
 * tracking URL, when it has one, makes the link. Never undefined for a carrier that is not blank.
 *
 * @example
 * resolveTrackingCompany('FEDEX_GROUND', {}); // → { company: 'FedEx', source: 'default' }
 * resolveTrackingCompany('Next Day Pallet', { 'next day pallet': 'Palletways' }); // → { company: 'Palletways', … }
 * resolveTrackingCompany('Acme Freight', {}); // → { company: 'Acme Freight', source: 'as-given' }
 */
export function resolveTrackingCompany(
  carrier: string | null | undefined,
  overrides: TrackingCompanyMap = {},
): TrackingCompanyResolution {
  const given = carrier?.trim() ?? '';
  if (given === '') {
    return {};
  }
  const key = normaliseCarrier(given);
  for (const [name, company] of Object.entries(overrides)) {
    if (normaliseCarrier(name) === key && company.trim() !== '') {
      return { company: company.trim(), source: 'override' };
    }
  }
  const padded = ` ${key} `;
  for (const rule of DEFAULT_RULES) {
    if (rule.words.some((words) => padded.includes(` ${words} `))) {
      return { company: rule.company, source: 'default' };
    }
  }
  return { company: given, source: 'as-given' };
}

/** Lower case, anything but letters and digits as spaces, one space between words: `FEDEX_GROUND` → `fedex ground`. */
export function normaliseCarrier(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
