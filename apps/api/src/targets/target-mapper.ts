import type { Target as TargetDto, SelectorHints } from '@shelfwatch/contracts';
import type { Target as TargetRow } from '@shelfwatch/db';

export function toTargetDto(row: TargetRow): TargetDto {
  return {
    id: row.id,
    url: row.url,
    host: row.host,
    kind: row.kind,
    selectors: (row.selectors as SelectorHints | null) ?? null,
    checkIntervalSeconds: row.checkIntervalSeconds,
    status: row.status,
    nextCheckAt: row.nextCheckAt?.toISOString() ?? null,
    lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
