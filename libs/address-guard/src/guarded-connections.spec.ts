import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { AddressGuard, isAddressRefusal, type Resolver } from './address-guard';
import { checkUrl } from './check-url';
import { createGuardedAgent, guardedAgentOnFirstUse } from './guarded-agent';
import { createGuardedLookup } from './guarded-lookup';

/** `shop.test` is the loopback server; `rebind.test` answers public first, loopback after. */
function scriptedDns(): Resolver & { lookups: number } {
  const resolver = Object.assign(
    async (hostname: string) => {
      if (hostname === 'shop.test') return [{ address: '127.0.0.1', family: 4 as const }];
      if (hostname === 'rebind.test') {
        resolver.lookups += 1;
        const address = resolver.lookups === 1 ? '93.184.215.14' : '127.0.0.1';
        return [{ address, family: 4 as const }];
      }
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    },
    { lookups: 0 },
  );
  return resolver;
}

function getWithLookup(url: string, guard: AddressGuard): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { lookup: createGuardedLookup(guard), agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('connections through the guard, against a loopback server', () => {
  let server: Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    connections = 0;
  });

  describe('the dispatcher', () => {
    it('connects to an allow-listed host', async () => {
      const agent = createGuardedAgent(
        new AddressGuard({ resolver: scriptedDns(), allowHosts: ['127.0.0.1'] }),
      );
      const response = await request(`http://shop.test:${port}/`, { dispatcher: agent });
      expect(response.statusCode).toBe(200);
      expect(await response.body.text()).toBe('ok');
      await agent.close();
    });

    it('refuses a loopback host before any socket opens', async () => {
      const agent = createGuardedAgent(new AddressGuard({ resolver: scriptedDns() }));
      const error = await request(`http://shop.test:${port}/`, { dispatcher: agent }).catch(
        (caught: unknown) => caught,
      );
      expect(isAddressRefusal(error) && error.reason).toBe('loopback address');
      expect(connections).toBe(0);
      await agent.close();
    });

    it('catches a DNS answer that changed after the up-front check', async () => {
      const guard = new AddressGuard({ resolver: scriptedDns() });
      const url = `http://rebind.test:${port}/`;
      expect(await checkUrl(guard, url)).toMatchObject({ ok: true });

      const agent = createGuardedAgent(guard);
      const error = await request(url, { dispatcher: agent }).catch((caught: unknown) => caught);
      expect(isAddressRefusal(error) && error.message).toMatch(
        /rebind\.test \(127\.0\.0\.1\): loopback address/,
      );
      expect(connections).toBe(0);
      await agent.close();
    });
  });

  describe('the agent made on first use', () => {
    it('guards requests sent through its dispatch, before and after prepare', async () => {
      const sender = guardedAgentOnFirstUse(new AddressGuard({ resolver: scriptedDns() }));
      const refused = () =>
        new Promise<unknown>((resolve) => {
          sender.dispatch(
            { origin: `http://shop.test:${port}`, path: '/', method: 'GET' },
            {
              onRequestStart: () => undefined,
              onResponseStart: () => resolve('answered'),
              onResponseData: () => undefined,
              onResponseEnd: () => undefined,
              onResponseError: (_controller, error) => resolve(error),
            },
          );
        });
      const before = await refused();
      sender.prepare();
      const after = await refused();
      expect(isAddressRefusal(before) && before.reason).toBe('loopback address');
      expect(isAddressRefusal(after) && after.reason).toBe('loopback address');
      expect(connections).toBe(0);
      await sender.close();
    });
  });

  describe('the lookup for node:http and node:net', () => {
    it('connects to an allow-listed host', async () => {
      const guard = new AddressGuard({ resolver: scriptedDns(), allowHosts: ['shop.test'] });
      expect(await getWithLookup(`http://shop.test:${port}/`, guard)).toBe(200);
      expect(connections).toBe(1);
    });

    it('refuses a name resolving to loopback, and a rebinding one at connect', async () => {
      const guard = new AddressGuard({ resolver: scriptedDns() });
      const loopback = await getWithLookup(`http://shop.test:${port}/`, guard).catch(
        (caught: unknown) => caught,
      );
      expect(isAddressRefusal(loopback) && loopback.reason).toBe('loopback address');

      expect(await checkUrl(guard, `http://rebind.test:${port}/`)).toMatchObject({ ok: true });
      const rebound = await getWithLookup(`http://rebind.test:${port}/`, guard).catch(
        (caught: unknown) => caught,
      );
      expect(isAddressRefusal(rebound) && rebound.reason).toBe('loopback address');
      expect(connections).toBe(0);
    });
  });
});
