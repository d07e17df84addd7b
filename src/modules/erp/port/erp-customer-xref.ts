/** @description What the customer cross-reference holds for one of our customer keys. */
export interface ErpCustomerXrefEntry {
  /** The ERP customer the key resolved to, once known. */
  erpId?: string;
  /** When a create was last sent for the key whose answer never came (the customer may exist all the same). */
  createSentAt?: Date;
}

/**
 * @description Our customer key (`ErpCustomerDraft.externalId`: the Shopify customer id, `email:<address>`,
 * `guest:<order id>`) → ERP customer id, for ERPs whose customers carry no key of ours (Business Central); a
 * PostgreSQL table of the erp module. Filled on create and on a match by e-mail, so that a customer is found by our
 * key afterwards, whatever its name or e-mail then.
 */
export interface ErpCustomerXref {
  /** What is known for this key, if anything. */
  find(key: string): Promise<ErpCustomerXrefEntry | undefined>;
  /** Records the ERP customer the key resolved to (created, or matched by e-mail); clears a pending create. */
  remember(key: string, erpId: string): Promise<void>;
  /** Records, right before a create is sent, that it may commit although its answer is lost; returns that time. */
  createSending(key: string): Promise<Date>;
  /** Drops the key's ERP id: that customer no longer exists (merged into another or deleted in the ERP). */
  forget(key: string): Promise<void>;
  /** Of these ERP customer ids, the ones a key other than `key` resolves to. */
  claimedByOthers(erpIds: readonly string[], key: string): Promise<Set<string>>;
}
