import { parseTrackingCompanyMap } from 'src/config/tracking-company-map.parser';

describe(parseTrackingCompanyMap.name, () => {
  it('reads a JSON object of names, trimmed', () => {
    expect(parseTrackingCompanyMap('{" Next Day Pallet ":" Palletways ","PRIORITY":"USPS"}')).toEqual({
      ok: true,
      map: { 'Next Day Pallet': 'Palletways', PRIORITY: 'USPS' },
    });
  });

  it.each([
    ['not json', 'is not JSON'],
    ['["UPS"]', 'is not a JSON object'],
    ['"UPS"', 'is not a JSON object'],
    ['{"UPS":""}', 'entry "UPS" needs a non-empty ERP name and Shopify company name'],
    ['{"UPS":1}', 'entry "UPS" needs a non-empty ERP name and Shopify company name'],
  ])('refuses %s', (text, reason) => {
    expect(parseTrackingCompanyMap(text)).toEqual({ ok: false, reason });
  });
});
