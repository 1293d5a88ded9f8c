/** The service's one-line description, checked once, in the form each template needs. */
export interface ServiceDescription {
  /** As given, trimmed: for comments (Terraform, TypeScript). */
  line: string;
  /** For a double-quoted Dockerfile LABEL value: `\`, `"` and `$` (a build variable) escaped. */
  dockerLabel: string;
}

export function serviceDescription(description: string): ServiceDescription {
  const line = description.trim();
  if (line === '' || /[\r\n]/.test(line))
    throw new Error(`--description must be one non-empty line, got ${JSON.stringify(description)}`);
  return { line, dockerLabel: line.replace(/[\\"$]/g, (character) => `\\${character}`) };
}
