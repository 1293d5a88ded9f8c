import express, { Router } from 'express';
import request from 'supertest';
import { servedUnder } from './served-under';

function appWithFamily() {
  const walked: string[] = [];
  const family = Router();
  family.use((req, _res, next) => {
    walked.push(req.path);
    next();
  });
  family.get('/v1/alerts', (_req, res) => {
    res.json({ served: 'alerts' });
  });
  const app = express();
  app.use(servedUnder('/v1/alerts', family));
  app.use((_req, res) => {
    res.status(404).json({ served: 'nobody' });
  });
  return { app, walked };
}

describe('servedUnder', () => {
  it('hands requests at or below the prefix to the router, which sees the whole path', async () => {
    const { app, walked } = appWithFamily();
    await request(app).get('/v1/alerts').expect(200, { served: 'alerts' });
    // Express matches routes without case and with a trailing slash; so does the prefix.
    await request(app).get('/V1/Alerts/').expect(200, { served: 'alerts' });
    await request(app).get('/v1/alerts/unknown').expect(404);
    expect(walked).toEqual(['/v1/alerts', '/V1/Alerts/', '/v1/alerts/unknown']);
  });

  it('passes other requests on without walking the router', async () => {
    const { app, walked } = appWithFamily();
    await request(app).get('/v1/watches').expect(404, { served: 'nobody' });
    await request(app).get('/v1/alertsfeed').expect(404);
    expect(walked).toEqual([]);
  });
});
