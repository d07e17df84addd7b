import { normaliseCarrier, resolveTrackingCompany } from 'src/modules/fulfilments/domain/tracking-company';

describe(resolveTrackingCompany.name, () => {
  it.each([
    ['UPS', 'UPS'],
    ['UPS Ground', 'UPS'],
    ['ups 2nd day air', 'UPS'],
    ['UPS_NEXT_DAY_AIR', 'UPS'],
    ['FedEx', 'FedEx'],
    ['FEDEX_GROUND', 'FedEx'],
    ['fedex 2day', 'FedEx'],
    ['FedEx Home Delivery®', 'FedEx'],
    ['Federal Express', 'FedEx'],
    ['USPS Priority Mail', 'USPS'],
    ['Priority Mail Express', 'USPS'],
    ['usps-first-class', 'USPS'],
    ['DHL', 'DHL Express'],
    ['DHL Express Worldwide', 'DHL Express'],
    ['DHL eCommerce Ground', 'DHL eCommerce'],
    ['dhl_ecommerce', 'DHL eCommerce'],
    ['Canada Post Expedited', 'Canada Post'],
    ['ROYAL MAIL TRACKED 24', 'Royal Mail'],
    ['royal-mail-48', 'Royal Mail'],
    ['Australia Post eParcel', 'Australia Post'],
    ['DPD UK Next Day', 'DPD UK'],
    ['DPD Classic', 'DPD'],
    ['Hermes', 'Evri'],
    ['GLS Parcel', 'GLS'],
    ['Purolator Ground', 'Purolator'],
  ])('maps %s to %s', (carrier, company) => {
    expect(resolveTrackingCompany(carrier)).toEqual({ company, source: 'default' });
  });

  // What each connector's shipment feed gives: NetSuite ship items (Ship Via), Business Central shipping agent codes
  // (its demo companies have DHL, FEDEX, UPS and OWN LOG.), Cin7 Core carrier names.
  it.each([
    ['netsuite', 'FedEx 2Day®', 'FedEx'],
    ['netsuite', 'UPS® Ground', 'UPS'],
    ['business-central', 'FEDEX', 'FedEx'],
    ['business-central', 'DHL', 'DHL Express'],
    ['business-central', 'OWN LOG.', 'OWN LOG.'],
    ['cin7', 'Australia Post', 'Australia Post'],
    ['cin7', 'StarTrack Express', 'StarTrack'],
    ['cin7', 'NZ Post', 'New Zealand Post'],
  ])('%s: %s → %s', (_connector, carrier, company) => {
    expect(resolveTrackingCompany(carrier).company).toBe(company);
  });

  it('does not take a carrier for one whose name only contains its letters', () => {
    expect(resolveTrackingCompany('Groups Freight')).toEqual({ company: 'Groups Freight', source: 'as-given' });
    expect(resolveTrackingCompany('Upsala Couriers')).toEqual({ company: 'Upsala Couriers', source: 'as-given' });
  });

  it('sends an unknown carrier as the ERP names it, trimmed, never undefined', () => {
    expect(resolveTrackingCompany('  Acme Freight ')).toEqual({ company: 'Acme Freight', source: 'as-given' });
  });

  it('gives no company without a carrier', () => {
    expect(resolveTrackingCompany(undefined)).toEqual({});
    expect(resolveTrackingCompany(null)).toEqual({});
    expect(resolveTrackingCompany('   ')).toEqual({});
  });

  it('takes the configured name first, matched case-insensitively with separators as spaces', () => {
    const overrides = { 'Next Day Pallet': 'Palletways', 'UPS Ground': 'UPS Freight', PRIORITY: 'USPS' };
    expect(resolveTrackingCompany('NEXT_DAY_PALLET', overrides)).toEqual({ company: 'Palletways', source: 'override' });
    expect(resolveTrackingCompany('ups ground', overrides)).toEqual({ company: 'UPS Freight', source: 'override' });
    expect(resolveTrackingCompany('priority', overrides)).toEqual({ company: 'USPS', source: 'override' });
    // Only the exact name is overridden; the rest of the family keeps the default.
    expect(resolveTrackingCompany('UPS 2nd Day Air', overrides)).toEqual({ company: 'UPS', source: 'default' });
  });
});

describe(normaliseCarrier.name, () => {
  it('lower-cases and turns separators into single spaces', () => {
    expect(normaliseCarrier(' FEDEX__2DAY-One.Rate/(AM) ')).toBe('fedex 2day one rate am');
  });
});
