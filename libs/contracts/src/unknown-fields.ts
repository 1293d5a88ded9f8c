/**
 * zod `error` option for strict objects: names every unknown field, so a typo like
 * `checkInterval` is reported rather than silently dropped. Fields in `immutable` are explained
 * instead ("cannot be changed").
 */
export const unknownFieldsError =
  (immutable: readonly string[] = [], replacement = 'delete it and create a new one') =>
  (issue: { code?: string; keys?: string[] }) => {
    if (issue.code !== 'unrecognized_keys' || !issue.keys) return undefined;
    return issue.keys
      .map((key) =>
        immutable.includes(key)
          ? `"${key}" cannot be changed; ${replacement}`
          : `unknown field "${key}"`,
      )
      .join('; ');
  };
