import { defineConfig } from 'prisma/config';

// Prisma 7 takes the connection URL from here, not from schema.prisma. `prisma generate` needs
// no database, so the URL is optional; the db project's own migrate targets pass it explicitly.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env['DATABASE_URL'] ? { datasource: { url: process.env['DATABASE_URL'] } } : {}),
});
