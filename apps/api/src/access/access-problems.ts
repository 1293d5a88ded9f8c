import { CSRF_HEADER, problemTypes, type ApiKeyScope } from '@shelfwatch/contracts';
import { HttpProblem } from '@shelfwatch/runtime';

export const WWW_AUTHENTICATE = 'Bearer realm="shelfwatch"';

export function unauthorized(detail: string): HttpProblem {
  return HttpProblem.of('unauthorized', {
    detail,
    headers: { 'WWW-Authenticate': WWW_AUTHENTICATE },
  });
}

export function insufficientScope(scope: ApiKeyScope, detail?: string): HttpProblem {
  return new HttpProblem({
    status: 403,
    type: problemTypes.insufficientScope,
    title: 'Insufficient scope',
    detail: detail ?? `This operation needs the "${scope}" scope, which the credential lacks.`,
    extensions: { requiredScope: scope },
  });
}

export function csrfTokenMissing(): HttpProblem {
  return new HttpProblem({
    status: 403,
    type: problemTypes.csrfTokenMissing,
    title: 'CSRF token missing or wrong',
    detail: `Writes made with the session cookie need the session's csrfToken in ${CSRF_HEADER}.`,
  });
}
