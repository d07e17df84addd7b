import { prefilterTextEqualities } from 'test/simulators/business-central/business-central-odata';

interface Doc {
  fields: Record<string, string>;
}
const docs: Doc[] = [
  { fields: { externalDocumentNumber: 'SHOP-1', email: 'a@example.com' } },
  { fields: { externalDocumentNumber: 'shop-2', email: 'b@example.com' } },
  { fields: { email: 'c@example.com' } },
];
const text = (d: Doc, field: string): string => d.fields[field] ?? '';
const TEXT = ['externalDocumentNumber', 'email'];

describe('prefilterTextEqualities (BC simulator)', () => {
  it('keeps only the records a text equality can match, compared as the filter compares (case-insensitive)', () => {
    expect(prefilterTextEqualities(docs, "externalDocumentNumber eq 'Shop-2'", TEXT, text)).toEqual([docs[1]]);
    expect(prefilterTextEqualities(docs, "email eq 'c@example.com'", TEXT, text)).toEqual([docs[2]]);
    expect(prefilterTextEqualities(docs, "externalDocumentNumber eq ''", TEXT, text)).toEqual([docs[2]]);
  });

  it('leaves everything to the full filter when it cannot narrow safely', () => {
    // No filter, a non-text field, a non-equality, or a filter it cannot parse.
    expect(prefilterTextEqualities(docs, null, TEXT, text)).toBe(docs);
    expect(prefilterTextEqualities(docs, 'lastModifiedDateTime ge 2026-01-01T00:00:00Z', TEXT, text)).toBe(docs);
    expect(prefilterTextEqualities(docs, "email ne 'a@example.com'", TEXT, text)).toBe(docs);
    expect(prefilterTextEqualities(docs, 'email eq', TEXT, text)).toBe(docs);
  });
});
