/**
 * Who is signed in. The session cookie is HttpOnly, so the page keeps only a flag that it signed
 * in (never the token): without it the sign-in page shows at once instead of probing the api for
 * a session it cannot have; with it GET /v1/sessions/current restores the session and its CSRF
 * token after a reload.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { api, setCsrfToken, unwrap } from './client';
import { ApiError } from './problem';
import type { Session } from './types';

const SIGNED_IN_FLAG = 'shelfwatch.signedIn';

interface SessionState {
  session: Session | null;
  loading: boolean;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

async function currentSession(): Promise<Session | null> {
  if (localStorage.getItem(SIGNED_IN_FLAG) !== '1') return null;
  try {
    const session = await unwrap(api.GET('/v1/sessions/current'), 'Could not load your session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      localStorage.removeItem(SIGNED_IN_FLAG);
      return null;
    }
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['session'], queryFn: currentSession, staleTime: Infinity });

  const signIn = useCallback(
    async (email: string, password: string) => {
      const session = await unwrap(
        api.POST('/v1/sessions', { body: { email, password } }),
        'Could not sign in',
      );
      setCsrfToken(session.csrfToken);
      localStorage.setItem(SIGNED_IN_FLAG, '1');
      queryClient.setQueryData(['session'], session);
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    await unwrap(api.DELETE('/v1/sessions/current'), 'Could not sign out');
    setCsrfToken(undefined);
    localStorage.removeItem(SIGNED_IN_FLAG);
    queryClient.setQueryData(['session'], null);
    // Nothing of this account stays in memory for whoever signs in next.
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
  }, [queryClient]);

  const value = useMemo<SessionState>(
    () => ({ session: query.data ?? null, loading: query.isPending, signIn, signOut }),
    [query.data, query.isPending, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
