import type { SimResponse } from 'test/simulators/common/erp-simulator';

/** The error answers of NetSuite's REST API, shared by the NetSuite simulator and the sandbox ERP (both simulations). */

const STATUS_TITLES: Record<number, [string, string]> = {
  400: ['Bad Request', 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1'],
  401: ['Unauthorized', 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2'],
  404: ['Not Found', 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5'],
  405: ['Method Not Allowed', 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.6'],
  413: ['Content Too Large', 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.14'],
  429: ['Too Many Requests', 'https://www.rfc-editor.org/rfc/rfc6585.html#section-4'],
  500: ['Internal Server Error', 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.1'],
  503: ['Service Unavailable', 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.4'],
};

/** NetSuite's RFC 7807-like error body: `{type, title, status, 'o:errorDetails': [{detail, 'o:errorCode', 'o:errorPath'?}]}`. */
export function errorResponse(
  status: number,
  code: string,
  detail: string,
  path?: string,
  headers: Record<string, string> = {},
): SimResponse {
  const [title, type] = STATUS_TITLES[status] ?? ['Error', 'about:blank'];
  return {
    status,
    headers: { 'Content-Type': 'application/vnd.oracle.resource+json; type=error; charset=UTF-8', ...headers },
    body: JSON.stringify({
      type,
      title,
      status,
      'o:errorDetails': [{ detail, 'o:errorCode': code, ...(path === undefined ? {} : { 'o:errorPath': path }) }],
    }),
  };
}
