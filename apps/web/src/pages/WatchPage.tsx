/** One watch: its interval, labels and alert rules, and deleting it. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { AlertKind, UpdateWatchRequest, Watch } from '../api/types';
import { alertKindLabels, formatDateTime } from '../format';
import { ErrorNote, Loading } from '../layout/states';
import { PauseWatchButton } from './PauseWatchButton';
import { HealthBadge, lastCheck } from './watch-health';

const KINDS = Object.keys(alertKindLabels) as AlertKind[];

function WatchForm({ watch }: { watch: Watch }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (body: UpdateWatchRequest) =>
      unwrap(
        api.PATCH('/v1/watches/{id}', { params: { path: { id: watch.id } }, body }),
        'Could not save the watch',
      ),
    onSuccess: (updated) => {
      queryClient.setQueryData(['watch', watch.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['watches'] });
      setSaved(true);
    },
  });
  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/v1/watches/{id}', { params: { path: { id: watch.id } } }),
        'Could not delete the watch',
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['watches'] });
      void navigate('/');
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const targetPrice = String(form.get('targetPrice') ?? '').trim();
    save.mutate({
      labels: [
        ...new Set(
          String(form.get('labels') ?? '')
            .split(',')
            .map((label) => label.trim())
            .filter(Boolean),
        ),
      ],
      checkIntervalSeconds: Number(form.get('interval')) * 60,
      rules: {
        minChangeAmount: String(form.get('minChangeAmount') || '0').trim(),
        minChangePercent: String(form.get('minChangePercent') || '0').trim(),
        targetPrice: targetPrice === '' ? null : targetPrice,
        kinds: KINDS.filter((kind) => form.get(`kind-${kind}`) === 'on'),
      },
    });
  }

  return (
    <form className="watch-form" onSubmit={submit}>
      <fieldset>
        <legend>Checking</legend>
        <label>
          Check every (minutes)
          <input
            name="interval"
            type="number"
            min={1}
            max={10_080}
            step={1}
            required
            defaultValue={Math.round(watch.checkIntervalSeconds / 60)}
          />
        </label>
        <label>
          Labels (comma separated)
          <input name="labels" defaultValue={watch.labels.join(', ')} />
        </label>
      </fieldset>
      <fieldset>
        <legend>Alert rules</legend>
        <label>
          Least change (amount)
          <input
            name="minChangeAmount"
            inputMode="decimal"
            defaultValue={watch.rules.minChangeAmount}
          />
        </label>
        <label>
          Least change (%)
          <input
            name="minChangePercent"
            inputMode="decimal"
            defaultValue={watch.rules.minChangePercent}
          />
        </label>
        <label>
          Tell me at or below this price
          <input
            name="targetPrice"
            inputMode="decimal"
            defaultValue={watch.rules.targetPrice ?? ''}
          />
        </label>
        <div className="kinds" role="group" aria-label="Alert kinds">
          {KINDS.map((kind) => (
            <label key={kind} className="check">
              <input
                type="checkbox"
                name={`kind-${kind}`}
                defaultChecked={watch.rules.kinds.includes(kind)}
              />
              {alertKindLabels[kind]}
            </label>
          ))}
        </div>
      </fieldset>
      {save.isError && <ErrorNote error={save.error} />}
      {saved && (
        <p role="status" className="saved">
          Saved.
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => {
            if (window.confirm('Delete this watch? Its price history stays, your rules go.'))
              remove.mutate();
          }}
        >
          Delete watch
        </button>
      </div>
      {remove.isError && <ErrorNote error={remove.error} />}
    </form>
  );
}

export function WatchPage() {
  const { id = '' } = useParams();
  const watch = useQuery({
    queryKey: ['watch', id],
    queryFn: () =>
      unwrap(
        api.GET('/v1/watches/{id}', { params: { path: { id } } }),
        'Could not load this watch',
      ),
  });
  if (watch.isPending) return <Loading what="the watch" />;
  if (watch.isError)
    return (
      <>
        <h1>Watch</h1>
        <ErrorNote error={watch.error} retry={() => void watch.refetch()} />
        <Link to="/">Back to your watches</Link>
      </>
    );
  const { health } = watch.data;
  return (
    <>
      <h1>Edit watch</h1>
      <p className="url">{watch.data.url}</p>
      <dl className="facts">
        <dt>Health</dt>
        <dd>
          <HealthBadge watch={watch.data} />
        </dd>
        <dt>Last check</dt>
        <dd>{lastCheck(watch.data)}</dd>
        {health.lastErrorMessage && (
          <>
            <dt>Last error</dt>
            <dd>
              {health.lastErrorClass}: {health.lastErrorMessage}
              {health.lastFailureAt && ` (${formatDateTime(health.lastFailureAt)})`}
            </dd>
          </>
        )}
      </dl>
      <div className="actions">
        <PauseWatchButton watch={watch.data} name="this watch" />
        <span className="hint">
          {watch.data.paused
            ? 'Paused: not checked for you and no alerts until you resume it.'
            : 'Pausing stops its checks for you and its alerts; your rules stay.'}
        </span>
      </div>
      <WatchForm key={watch.data.id} watch={watch.data} />
    </>
  );
}
