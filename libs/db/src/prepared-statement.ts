import { createHash } from 'node:crypto';
import type { QueryConfig } from 'pg';

const names = new Map<string, string>();

/**
 * A statement run as a named prepared statement (ADR 0031): each pool connection parses it once
 * and PostgreSQL may keep its plan, where an unnamed statement is parsed and planned on every
 * call, and its text crosses the wire only on a connection's first use. The name is a digest of
 * the text, so one name never stands for two texts. Only for texts written in our own code, never
 * built from input: every distinct text stays prepared on every connection.
 */
export function prepared(text: string, values: readonly unknown[]): QueryConfig {
  let name = names.get(text);
  if (name === undefined) {
    name = `sw_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
    names.set(text, name);
  }
  return { name, text, values: [...values] };
}
