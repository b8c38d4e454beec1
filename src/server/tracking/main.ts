// Placeholder until the tracking server lands: answers the health check only.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 8080);
createServer((request, response) => {
  response.writeHead(request.url === '/health/check' ? 200 : 404, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ status: 'starting' }));
}).listen(port, '127.0.0.1', () => console.log(`tracking server listening on http://127.0.0.1:${port}`));
