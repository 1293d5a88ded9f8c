/** Account settings: who is signed in, and the account's API keys (create, see once, revoke). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import { useApiKeys } from '../api/queries';
import { useSession } from '../api/session';
import type { ApiKeyScope, CreatedApiKey } from '../api/types';
import { formatAgo, formatDateTime } from '../format';
import { Empty, ErrorNote, Loading } from '../layout/states';
import { TableScroll } from '../layout/TableScroll';

const SCOPES: ApiKeyScope[] = ['read', 'write', 'admin'];

export function SettingsPage() {
  const { session } = useSession();
  const queryClient = useQueryClient();
  const keys = useApiKeys();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const create = useMutation({
    mutationFn: (body: { name: string; scopes: ApiKeyScope[] }) =>
      unwrap(api.POST('/v1/api-keys', { body }), 'Could not create the key'),
    onSuccess: (key) => {
      setCreated(key);
      void queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.DELETE('/v1/api-keys/{id}', { params: { path: { id } } }),
        'Could not revoke the key',
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['api-keys'] }),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({
      name: String(form.get('name')).trim(),
      scopes: SCOPES.filter((scope) => form.get(`scope-${scope}`) === 'on'),
    });
    event.currentTarget.reset();
  }

  const canManageKeys = session?.scopes.includes('admin') ?? false;
  return (
    <>
      <h1>Settings</h1>
      <section aria-labelledby="account-heading">
        <h2 id="account-heading">Account</h2>
        <dl className="facts">
          <dt>Signed in as</dt>
          <dd>{session?.user.email}</dd>
          <dt>Role</dt>
          <dd>{session?.user.role}</dd>
          <dt>Session ends</dt>
          <dd>{session ? formatDateTime(session.expiresAt) : '—'}</dd>
        </dl>
      </section>
      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">API keys</h2>
        {!canManageKeys ? (
          <p>Only the account owner can manage API keys.</p>
        ) : (
          <>
            <form className="key-form" onSubmit={submit}>
              <label className="grow">
                Name
                <input name="name" required maxLength={100} placeholder="nightly export" />
              </label>
              <fieldset className="inline">
                <legend>Scopes</legend>
                {SCOPES.map((scope) => (
                  <label key={scope} className="check">
                    <input
                      type="checkbox"
                      name={`scope-${scope}`}
                      defaultChecked={scope === 'read'}
                    />
                    {scope}
                  </label>
                ))}
              </fieldset>
              <button type="submit" disabled={create.isPending}>
                Create key
              </button>
            </form>
            {create.isError && <ErrorNote error={create.error} />}
            {created && (
              <div className="new-key" role="status" data-testid="new-key">
                <p>
                  Your new key <strong>{created.name}</strong>. Copy it now: it is shown only once.
                </p>
                <code className="secret">{created.key}</code>
                <button type="button" className="secondary" onClick={() => setCreated(null)}>
                  I have stored it
                </button>
              </div>
            )}
            {keys.isPending ? (
              <Loading what="your keys" />
            ) : keys.isError ? (
              <ErrorNote error={keys.error} retry={() => void keys.refetch()} />
            ) : keys.data.length === 0 ? (
              <Empty title="No API keys yet." />
            ) : (
              <TableScroll label="API key table">
                <table className="keys">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Key</th>
                      <th scope="col">Scopes</th>
                      <th scope="col">Last used</th>
                      <th scope="col">Status</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {keys.data.map((key) => (
                      <tr key={key.id}>
                        <th scope="row">{key.name}</th>
                        <td>
                          <code>sw_{key.prefix}_…</code>
                        </td>
                        <td>{key.scopes.join(', ')}</td>
                        <td>{formatAgo(key.lastUsedAt)}</td>
                        <td>{key.revokedAt ? `revoked ${formatAgo(key.revokedAt)}` : 'active'}</td>
                        <td>
                          {!key.revokedAt && (
                            <button
                              type="button"
                              className="danger"
                              aria-label={`Revoke ${key.name}`}
                              onClick={() => revoke.mutate(key.id)}
                            >
                              Revoke
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
            {revoke.isError && <ErrorNote error={revoke.error} />}
          </>
        )}
      </section>
    </>
  );
}
