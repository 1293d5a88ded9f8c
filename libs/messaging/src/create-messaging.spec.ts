import { createLogger } from '@shelfwatch/logging';
import { InvalidEventError } from '@shelfwatch/contracts';
import { createMessaging, isPubSubMessaging, messagingOptionsFromEnv } from './create-messaging';

const logger = createLogger({ service: 'messaging-spec', level: 'error', format: 'pretty' });
const base = { logger, source: 'shelfwatch/test' };

describe('messagingOptionsFromEnv', () => {
  it('chooses the embedded Postgres transport when no Pub/Sub is configured', () => {
    expect(messagingOptionsFromEnv({ DATABASE_URL: 'postgresql://db/app' }, base)).toMatchObject({
      transport: 'postgres',
      databaseUrl: 'postgresql://db/app',
    });
    expect(
      messagingOptionsFromEnv({}, { ...base, databaseUrl: 'postgresql://embedded/app' }),
    ).toMatchObject({
      transport: 'postgres',
      databaseUrl: 'postgresql://embedded/app',
    });
  });

  it('chooses Pub/Sub on the emulator, provisioning and pulling by default', () => {
    expect(messagingOptionsFromEnv({ PUBSUB_EMULATOR_HOST: '127.0.0.1:8085' }, base)).toMatchObject(
      {
        transport: 'pubsub',
        projectId: 'shelfwatch-local',
        emulatorHost: '127.0.0.1:8085',
        delivery: 'pull',
        provision: true,
        pushAuth: undefined,
      },
    );
  });

  it('chooses real Pub/Sub with push delivery and token verification from MESSAGING_TRANSPORT', () => {
    expect(
      messagingOptionsFromEnv(
        {
          MESSAGING_TRANSPORT: 'pubsub',
          GOOGLE_CLOUD_PROJECT: 'shelfwatch-prod',
          PUBSUB_DELIVERY: 'push',
          PUBSUB_PUSH_AUDIENCE: 'https://analytics.run.app/pubsub/push',
          PUBSUB_PUSH_SERVICE_ACCOUNT: 'push@shelfwatch-prod.iam.gserviceaccount.com',
          DATABASE_URL: 'postgresql://ignored',
        },
        base,
      ),
    ).toMatchObject({
      transport: 'pubsub',
      projectId: 'shelfwatch-prod',
      emulatorHost: undefined,
      delivery: 'push',
      provision: false,
      pushAuth: {
        audience: 'https://analytics.run.app/pubsub/push',
        serviceAccountEmail: 'push@shelfwatch-prod.iam.gserviceaccount.com',
      },
    });
  });

  it('refuses Pub/Sub on Cloud Run without push token verification configured', () => {
    const cloud = {
      K_SERVICE: 'analytics',
      GOOGLE_CLOUD_PROJECT: 'p',
      MESSAGING_TRANSPORT: 'pubsub',
    };
    expect(() => messagingOptionsFromEnv(cloud, base)).toThrow(
      /PUBSUB_PUSH_AUDIENCE and PUBSUB_PUSH_SERVICE_ACCOUNT are required on Cloud Run/,
    );
    expect(
      messagingOptionsFromEnv(
        {
          ...cloud,
          PUBSUB_PUSH_AUDIENCE: 'https://analytics.example',
          PUBSUB_PUSH_SERVICE_ACCOUNT: 'push@p.iam.gserviceaccount.com',
        },
        base,
      ),
    ).toMatchObject({ pushAuth: { audience: 'https://analytics.example' } });
  });

  it('names every missing or invalid variable', () => {
    expect(() => messagingOptionsFromEnv({}, base)).toThrow(/DATABASE_URL is required/);
    expect(() =>
      messagingOptionsFromEnv(
        {
          MESSAGING_TRANSPORT: 'pubsub',
          PUBSUB_DELIVERY: 'carrier-pigeon',
          PUBSUB_PROVISION: 'maybe',
          PUBSUB_PUSH_AUDIENCE: 'https://x',
        },
        base,
      ),
    ).toThrow(
      /GOOGLE_CLOUD_PROJECT is required.*PUBSUB_DELIVERY must be pull or push.*PUBSUB_PROVISION must be true or false.*must be set together/,
    );
    expect(() => messagingOptionsFromEnv({ MESSAGING_TRANSPORT: 'kafka' }, base)).toThrow(
      /MESSAGING_TRANSPORT must be pubsub or postgres, got "kafka"/,
    );
  });
});

describe('createMessaging', () => {
  it('builds the named transport behind the same interface', async () => {
    const pubsub = createMessaging({
      transport: 'pubsub',
      projectId: 'p',
      emulatorHost: '127.0.0.1:9',
      ...base,
    });
    const postgres = createMessaging({
      transport: 'postgres',
      databaseUrl: 'postgresql://127.0.0.1:9/none',
      ...base,
    });
    expect(isPubSubMessaging(pubsub)).toBe(true);
    expect(isPubSubMessaging(postgres)).toBe(false);
    expect(await postgres.health()).toEqual({
      ok: false,
      transport: 'postgres',
      detail: 'messaging is new',
    });
    await pubsub.stop();
    await postgres.stop();
  });

  it('rejects an invalid payload before touching the transport', async () => {
    // Nothing listens on port 9: reaching the database would fail differently.
    const messaging = createMessaging({
      transport: 'postgres',
      databaseUrl: 'postgresql://127.0.0.1:9/none',
      ...base,
    });
    await expect(
      messaging.publish('scrape.requested', {
        runId: 'not-an-id',
        targetId: 'not-an-id',
        url: 'ftp://x',
        kind: 'product',
        requestedAt: 'yesterday',
      }),
    ).rejects.toBeInstanceOf(InvalidEventError);
    await messaging.stop();
  });

  it('refuses subscriptions after start and duplicate subscription names', () => {
    const messaging = createMessaging({
      transport: 'pubsub',
      projectId: 'p',
      emulatorHost: '127.0.0.1:9',
      ...base,
    });
    messaging.subscribe('price.changed', async () => undefined, {
      subscription: 'api.price-changed',
    });
    expect(() =>
      messaging.subscribe('price.changed', async () => undefined, {
        subscription: 'api.price-changed',
      }),
    ).toThrow(/already has a handler/);
  });
});
