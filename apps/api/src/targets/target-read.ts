import type { SelectorHints, Target as TargetDto } from '@shelfwatch/contracts';
import { idBeforeSql, isoTimeSql } from '../read/sql-text';
import type { SqlRunner } from '../read/sql-runner';

export interface TargetReadQuery {
  /** One target by id; with it at most one row. */
  id?: string;
  /** Targets older than this id (the page token's). */
  beforeId?: string;
  kind?: TargetDto['kind'];
  status?: TargetDto['status'];
  take: number;
}

interface TargetRow {
  id: string;
  url: string;
  host: string;
  kind: TargetDto['kind'];
  selectors: SelectorHints | null;
  check_interval_seconds: number;
  status: TargetDto['status'];
  next_check_at: string | null;
  last_checked_at: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * Targets newest first (ids are UUIDv7, so id order is creation order), in one statement; `where`
 * picks them by id or pages through them.
 */
const targetsSql = (where: string) => `
  SELECT id, url, host, kind::text AS kind, selectors, check_interval_seconds,
         status::text AS status,
         ${isoTimeSql('next_check_at')} AS next_check_at,
         ${isoTimeSql('last_checked_at')} AS last_checked_at,
         ${isoTimeSql('created_at')} AS created_at,
         ${isoTimeSql('updated_at')} AS updated_at
    FROM targets
   WHERE ${where}
     AND ($3::text IS NULL OR kind::text = $3::text)
     AND ($4::text IS NULL OR status::text = $4::text)
   ORDER BY id DESC
   LIMIT $5`;

// One target by id and a page of targets are two statements, so each keeps a plan of its own
// when prepared (ADR 0031); both take the same parameters.
const TARGET_BY_ID_SQL = targetsSql(`id = $1::uuid AND ($2::uuid IS NULL OR id < $2::uuid)`);
const TARGETS_SQL = targetsSql(`$1::uuid IS NULL AND ${idBeforeSql('id', '$2')}`);

function toTargetDto(row: TargetRow): TargetDto {
  return {
    id: row.id,
    url: row.url,
    host: row.host,
    kind: row.kind,
    selectors: row.selectors ?? null,
    checkIntervalSeconds: row.check_interval_seconds,
    status: row.status,
    nextCheckAt: row.next_check_at,
    lastCheckedAt: row.last_checked_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function readTargets(sql: SqlRunner, query: TargetReadQuery): Promise<TargetDto[]> {
  const rows = await sql<TargetRow>(query.id === undefined ? TARGETS_SQL : TARGET_BY_ID_SQL, [
    query.id ?? null,
    query.beforeId ?? null,
    query.kind ?? null,
    query.status ?? null,
    query.take,
  ]);
  return rows.map(toTargetDto);
}

export async function readTarget(sql: SqlRunner, id: string): Promise<TargetDto | null> {
  const [target] = await readTargets(sql, { id, take: 1 });
  return target ?? null;
}
