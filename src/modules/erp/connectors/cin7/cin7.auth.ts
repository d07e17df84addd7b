/** @description The two values that identify a Cin7 Core API application; both are secrets. */
export interface Cin7Credentials {
  accountId: string;
  applicationKey: string;
}

/**
 * @description Cin7 Core authenticates every call with two headers (no token exchange, nothing to refresh): the
 * Account ID and the API Application Key created at Integrations → API in Cin7 (api-facts §D). Cin7 answers
 * 403 when either is wrong; there is nothing a retry could fix, so the classifier reports Auth.
 */
export function cin7AuthHeaders(credentials: Cin7Credentials): Record<string, string> {
  return {
    'api-auth-accountid': credentials.accountId,
    'api-auth-applicationkey': credentials.applicationKey,
  };
}
