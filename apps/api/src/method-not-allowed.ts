import type { OpenApiDocument } from '@shelfwatch/contracts';
import { HttpProblem } from '@shelfwatch/runtime';
import type { RequestHandler } from 'express';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface KnownPath {
  pattern: RegExp;
  allow: string;
  /** The methods of `allow`, so a request's method is looked up, not split out of it. */
  methods: ReadonlySet<string>;
}

/** The document's path templates as patterns, each with the methods it serves. */
function knownPaths(document: OpenApiDocument): KnownPath[] {
  return Object.entries(document.paths ?? {}).map(([template, item]) => {
    const methods = METHODS.filter((method) => item?.[method] !== undefined).map((method) =>
      method.toUpperCase(),
    );
    if (methods.includes('GET') && !methods.includes('HEAD')) methods.splice(1, 0, 'HEAD');
    const source = template
      .split(/\{[^}]+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]+');
    return {
      pattern: new RegExp(`^${source}/?$`),
      allow: methods.join(', '),
      methods: new Set(methods),
    };
  });
}

/**
 * A known path asked with a method it does not serve is 405 with `Allow`, not 404: the OpenAPI
 * document (generated from the same contracts as the routes) says which methods each path has.
 * Runs before authentication: which methods a path has is public, like the document.
 */
export function methodNotAllowed(document: () => OpenApiDocument): RequestHandler {
  let paths: KnownPath[] | undefined;
  return (req, _res, next) => {
    paths ??= knownPaths(document());
    const known = paths.find((path) => path.pattern.test(req.path));
    if (!known || known.methods.has(req.method)) {
      next();
      return;
    }
    next(
      HttpProblem.of('methodNotAllowed', {
        detail: `${req.path} does not support ${req.method}; it supports ${known.allow}.`,
        headers: { Allow: known.allow },
      }),
    );
  };
}
