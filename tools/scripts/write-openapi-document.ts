/**
 * Writes the api's OpenAPI document (built from the contracts' zod schemas, exactly as the api
 * serves it at /openapi.json) to a file, for code generators such as the web app's typed client.
 *
 * Usage: tsx tools/scripts/write-openapi-document.ts <output.json>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildOpenApiDocument } from '@shelfwatch/contracts';

const output = process.argv[2];
if (!output) {
  console.error('usage: tsx tools/scripts/write-openapi-document.ts <output.json>');
  process.exit(2);
}
const file = resolve(output);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${file}`);
