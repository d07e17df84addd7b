import {
  documentNumberTag,
  planDocumentNumberWriteBack,
} from 'src/modules/orders/domain/plan-document-number-write-back';

describe(planDocumentNumberWriteBack.name, () => {
  it('writes the tag and the metafield to an order that has neither', () => {
    expect(planDocumentNumberWriteBack('ERP:', 'SO1234', { tags: ['vip'], metafieldValue: null })).toEqual({
      addTag: 'ERP:SO1234',
      setMetafield: true,
    });
  });

  it('writes nothing to an order that carries both (a redelivery, a retry after a lost answer)', () => {
    expect(
      planDocumentNumberWriteBack('ERP:', 'SO1234', { tags: ['vip', 'erp:so1234'], metafieldValue: 'SO1234' }),
    ).toEqual({ addTag: null, setMetafield: false });
  });

  it('writes only what is missing', () => {
    expect(
      planDocumentNumberWriteBack('ERP:', 'S-ORD101001', { tags: ['ERP:S-ORD101001'], metafieldValue: null }),
    ).toEqual({ addTag: null, setMetafield: true });
    expect(planDocumentNumberWriteBack('ERP:', 'SO-00042', { tags: [], metafieldValue: 'SO-00042' })).toEqual({
      addTag: 'ERP:SO-00042',
      setMetafield: false,
    });
  });

  it('sets the metafield again when the ERP changed the number, and adds the new tag', () => {
    expect(planDocumentNumberWriteBack('ERP:', 'SO2', { tags: ['ERP:SO1'], metafieldValue: 'SO1' })).toEqual({
      addTag: 'ERP:SO2',
      setMetafield: true,
    });
  });

  it('keeps commas out of the tag (tagsAdd splits on them) and honours an empty prefix', () => {
    expect(documentNumberTag('ERP:', 'SO,12')).toBe('ERP:SO 12');
    expect(documentNumberTag('', 'SO12')).toBe('SO12');
  });
});
