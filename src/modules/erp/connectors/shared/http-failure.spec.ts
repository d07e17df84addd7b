import { ErrorKind } from 'src/common/errors/app-error';
import {
  classifyNetworkError,
  mayHaveReachedErp,
  parseRetryAfter,
} from 'src/modules/erp/connectors/shared/http-failure';
import { ErpError } from 'src/modules/erp/port/erp-error';

const NOW = Date.parse('2026-10-05T12:00:00Z');

describe(parseRetryAfter.name, () => {
  it.each([
    ['1', 1_000],
    [' 2 ', 2_000],
    ['0', 0],
    ['1.5', 1_500],
    ['Mon, 05 Oct 2026 12:00:10 GMT', 10_000],
    ['Mon, 05 Oct 2026 11:59:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
  ])('%s → %s', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});

describe(mayHaveReachedErp.name, () => {
  const failed = (cause: unknown): ErpError => classifyNetworkError(cause, 'ERP');
  const coded = (code: string): Error => Object.assign(new Error('fetch failed'), { cause: { name: 'Error', code } });

  it.each([
    ['a timeout', failed(new DOMException('timed out', 'TimeoutError')), true],
    ['a reset connection', failed(coded('ECONNRESET')), true],
    ['a socket closed mid-answer', failed(coded('UND_ERR_SOCKET')), true],
    ['an unknown failure', failed(new Error('terminated')), true],
    ['a refused connection', failed(coded('ECONNREFUSED')), false],
    ['an unresolved host', failed(coded('ENOTFOUND')), false],
    ['a connection never made in time', failed(coded('UND_ERR_CONNECT_TIMEOUT')), false],
    ['an answer (HTTP 503)', new ErpError(ErrorKind.Transient, 'down', { httpStatus: 503 }), false],
    ['a refusal', new ErpError(ErrorKind.Permanent, 'bad request', { httpStatus: 400 }), false],
  ])('%s → %s', (_case, failure, expected) => {
    expect(mayHaveReachedErp(failure)).toBe(expected);
  });
});
