import {
  ODataError,
  applyFilter,
  parseFilter,
  prefilterTextEqualities,
} from 'test/simulators/business-central/business-central-odata';

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

  it('keeps the records any term of an or of text equalities can match', () => {
    const filter = "email eq 'A@example.com' or (email eq 'c@example.com')";
    expect(prefilterTextEqualities(docs, filter, TEXT, text)).toEqual([docs[0], docs[2]]);
  });

  it('leaves everything to the full filter when it cannot narrow safely', () => {
    // No filter, a non-text field, a non-equality, an or with a term it cannot judge, or a filter it cannot parse.
    expect(prefilterTextEqualities(docs, null, TEXT, text)).toBe(docs);
    expect(prefilterTextEqualities(docs, 'lastModifiedDateTime ge 2026-01-01T00:00:00Z', TEXT, text)).toBe(docs);
    expect(prefilterTextEqualities(docs, "email ne 'a@example.com'", TEXT, text)).toBe(docs);
    expect(prefilterTextEqualities(docs, "email eq 'a@example.com' or email ne 'x'", TEXT, text)).toBe(docs);
    expect(prefilterTextEqualities(docs, 'email eq', TEXT, text)).toBe(docs);
  });
});

describe('parseFilter / applyFilter (BC simulator)', () => {
  const records = [
    { id: '1', email: "o'neil@example.com", number: 1 },
    { id: '2', email: 'b@example.com', number: 2 },
    { id: '3', email: 'c@example.com', number: 3 },
  ];
  const FIELDS = ['id', 'email', 'number'];
  const ids = (filter: string) => applyFilter(records, parseFilter(filter), 'customer', FIELDS).map((r) => r.id);

  it('joins comparisons of one field by or, and binds and tighter than or', () => {
    expect(ids("email eq 'O''Neil@example.com' or email eq 'c@example.com'")).toEqual(['1', '3']);
    expect(ids("number ge 2 and (email eq 'b@example.com' or email eq 'x@example.com')")).toEqual(['2']);
    expect(ids('number eq 1 or number eq 3 and number eq 3')).toEqual(['1', '3']);
  });

  it('refuses an or across different fields, as Business Central does, and malformed groups', () => {
    const refusal = (filter: string) => {
      try {
        parseFilter(filter);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(refusal("email eq 'b@example.com' or number eq 1")).toEqual(
      expect.objectContaining({ status: 400, message: expect.stringContaining("'OR' operator is not supported") }),
    );
    expect(refusal("(email eq 'b@example.com'")).toBeInstanceOf(ODataError);
    expect(refusal("email eq 'b@example.com' or")).toBeInstanceOf(ODataError);
    expect(refusal("email eq 'b@example.com') or (email eq 'c@example.com'")).toBeInstanceOf(ODataError);
  });
});
