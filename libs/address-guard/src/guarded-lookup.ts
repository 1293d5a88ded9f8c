import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { AddressGuard } from './address-guard';

/**
 * A `lookup` for `node:net`, `node:http(s)` and anything built on them (nodemailer, pg, ...):
 * names resolve through the guard at connect time, so the socket only ever opens to an address
 * that passed it. A refusal reaches the socket's `error` event as the guard's AddressRefusedError.
 */
export function createGuardedLookup(guard: AddressGuard): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    guard.resolveAll(hostname).then(
      (addresses) => {
        const wanted =
          options.family === 4 || options.family === 6
            ? addresses.filter(({ family }) => family === options.family)
            : addresses;
        if (options.all) {
          callback(null, wanted as LookupAddress[]);
          return;
        }
        const first = wanted[0];
        if (first === undefined) {
          callback(
            Object.assign(new Error(`No IPv${options.family} address for ${hostname}`), {
              code: 'ENOTFOUND',
            }),
            '',
          );
          return;
        }
        callback(null, first.address, first.family);
      },
      (error: Error) => callback(error, ''),
    );
  };
}
