import { ErrorKind } from 'src/common/errors/app-error';
import { eqFilter } from 'src/modules/erp/connectors/business-central/business-central.mappers';
import { mappedPaymentTerms } from 'src/modules/erp/connectors/shared/payment-terms';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpPaymentTerms } from 'src/modules/erp/port/erp.types';

/** @description A `paymentTerms` entity of API v2.0, as far as the connector reads it. */
export interface BcPaymentTerm {
  id: string;
  code: string;
  displayName?: string;
}

/**
 * @description B2B payment terms → the sales order's `paymentTermsId`. The configured map (ERP_PAYMENT_TERMS_MAP)
 * names BC's payment terms by their `code` (`30 DAYS`, `NET30`); API v2.0 takes the GUID, so each code is looked up
 * once per process (`GET paymentTerms?$filter=code eq '…'`) and kept: payment terms are setup data that BC users
 * rarely change. A code BC does not have is the map's error, Permanent: the order would otherwise silently carry the
 * customer's terms instead of the ones Shopify agreed.
 */
export class BcPaymentTermsDirectory {
  private readonly ids = new Map<string, string>();

  constructor(private readonly map: Readonly<Record<string, string>> | undefined) {}

  /** The BC payment terms code the map gives these terms; undefined when none (BC keeps the customer's terms). */
  codeFor(terms: ErpPaymentTerms | undefined): string | undefined {
    return mappedPaymentTerms(terms, this.map);
  }

  /** The id of a code already looked up, for previews. */
  knownId(code: string): string | undefined {
    return this.ids.get(code.toUpperCase());
  }

  /** The `paymentTermsId` for the order's terms; `list` runs the look-up when the code is not known yet. */
  async idFor(
    terms: ErpPaymentTerms | undefined,
    list: (filter: string) => Promise<BcPaymentTerm[]>,
  ): Promise<string | undefined> {
    const code = this.codeFor(terms);
    if (code === undefined) {
      return undefined;
    }
    const known = this.knownId(code);
    if (known !== undefined) {
      return known;
    }
    // BC codes are Code[10], stored upper-case.
    const [found] = await list(paymentTermsFilter(code));
    if (found === undefined) {
      throw new ErpError(
        ErrorKind.Permanent,
        `Business Central has no payment terms with code '${code}' (ERP_PAYMENT_TERMS_MAP maps '${terms?.name ?? ''}' to it)`,
        { vendorCode: 'UNKNOWN_PAYMENT_TERMS' },
      );
    }
    this.ids.set(code.toUpperCase(), found.id);
    return found.id;
  }
}

/** `code eq 'NET30'`: the look-up of one payment terms code. */
export function paymentTermsFilter(code: string): string {
  return eqFilter('code', code.toUpperCase());
}
