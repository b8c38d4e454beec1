import { describe, expect, it } from 'vitest';
import { planUploads } from '../../../scripts/deploy-web.ts';

describe('deploy-web upload plan', () => {
  it('publishes the pages with their assets and a config.js naming the API and the hosted UI sign-in, but not the local console', async () => {
    const objects = await planUploads('https://abc123.execute-api.us-east-1.amazonaws.com/', {
      domain: 'https://refarch-prod-123456789012.auth.us-east-1.amazoncognito.com',
      clientId: 'client123',
      pagesUrl: 'https://d111.cloudfront.net/',
    });
    const byKey = new Map(objects.map((o) => [o.key, o]));
    expect([...byKey.keys()].sort()).toEqual([
      'chart.js',
      'config.js',
      'format.js',
      'iot-model.js',
      'iot.html',
      'iot.js',
      'line-chart.js',
      'live.js',
      'results.html',
      'results.js',
      'sign-in.js',
      'style.css',
    ]);
    expect(String(byKey.get('config.js')!.body)).toBe(
      'window.REFARCH_CONFIG = {"apiUrl":"https://abc123.execute-api.us-east-1.amazonaws.com","auth":{"mode":"hosted",' +
        '"domain":"https://refarch-prod-123456789012.auth.us-east-1.amazoncognito.com","clientId":"client123","pagesUrl":"https://d111.cloudfront.net"}};\n',
    );
    expect(byKey.get('results.html')).toMatchObject({
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'no-cache',
    });
    expect(byKey.get('results.js')).toMatchObject({
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: 'public, max-age=300',
    });
    expect(byKey.get('style.css')).toMatchObject({ contentType: 'text/css; charset=utf-8' });
  });

  it('points the pages at their own origin when the API is served by the same distribution', async () => {
    const objects = await planUploads('', {
      domain: 'https://refarch-prod-123456789012.auth.us-east-1.amazoncognito.com',
      clientId: 'client123',
      pagesUrl: 'https://d111.cloudfront.net',
    });
    expect(String(objects.find((o) => o.key === 'config.js')!.body)).toMatch(
      /^window\.REFARCH_CONFIG = \{"apiUrl":"","auth":\{"mode":"hosted",/,
    );
  });
});
