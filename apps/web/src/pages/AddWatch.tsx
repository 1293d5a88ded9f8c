/**
 * Add a watch by pasting a URL. What the page yields is shown before the person settles on it:
 * the watch is created (the api validates the URL and the address guard refuses what it must),
 * its first check runs through the real scraper, and the extracted product appears here with
 * "Keep" and "Remove" (ADR 0019). Nothing else can extract a page: the api never fetches pages.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { allPages, api, unwrap } from '../api/client';
import type { AlertRules, Product, Watch } from '../api/types';
import { formatAvailability, formatMoney, formatInterval } from '../format';
import { ErrorNote } from '../layout/states';

/** What a new watch raises until its rules are edited: every kind, on any change. */
const DEFAULT_RULES: AlertRules = {
  minChangeAmount: '0',
  minChangePercent: '0',
  targetPrice: null,
  kinds: [
    'price_drop',
    'price_rise',
    'target_price_reached',
    'back_in_stock',
    'out_of_stock',
    'new_product',
  ],
};

const INTERVALS = [60, 300, 900, 3600, 6 * 3600, 86_400];

function parseLabels(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((label) => label.trim())
        .filter(Boolean),
    ),
  ];
}

/** Polls the new watch and its products until the first check has produced one or failed. */
function useFirstObservation(watch: Watch | null) {
  return useQuery({
    queryKey: ['first-observation', watch?.id],
    enabled: watch !== null,
    refetchInterval: (query) => (query.state.data?.settled ? false : 2000),
    queryFn: async () => {
      const current = await unwrap(
        api.GET('/v1/watches/{id}', { params: { path: { id: watch!.id } } }),
        'Could not read the new watch',
      );
      const products = await allPages<Product>((page_token) =>
        unwrap(
          api.GET('/v1/products', { params: { query: { page_size: 100, page_token } } }),
          'Could not load products',
        ),
      );
      const found = products.filter((product) => product.targetId === current.targetId);
      const failed = current.health.lastOutcome === 'failed' && found.length === 0;
      return { watch: current, products: found, failed, settled: found.length > 0 || failed };
    },
  });
}

export function AddWatch() {
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<Watch | null>(null);
  const first = useFirstObservation(created);

  const create = useMutation({
    mutationFn: (form: { url: string; labels: string[]; checkIntervalSeconds: number }) =>
      unwrap(
        api.POST('/v1/watches', { body: { ...form, kind: 'product', rules: DEFAULT_RULES } }),
        'Could not add the watch',
      ),
    onSuccess: (watch) => {
      setCreated(watch);
      void queryClient.invalidateQueries({ queryKey: ['watches'] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.DELETE('/v1/watches/{id}', { params: { path: { id } } }),
        'Could not remove the watch',
      ),
    onSuccess: () => {
      setCreated(null);
      void queryClient.invalidateQueries({ queryKey: ['watches'] });
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({
      url: String(form.get('url')).trim(),
      labels: parseLabels(String(form.get('labels') ?? '')),
      checkIntervalSeconds: Number(form.get('interval')),
    });
  }

  function keep() {
    setCreated(null);
    create.reset();
    void queryClient.invalidateQueries({ queryKey: ['products'] });
    void queryClient.invalidateQueries({ queryKey: ['watches'] });
  }

  return (
    <section className="add-watch" aria-labelledby="add-watch-heading">
      <h2 id="add-watch-heading">Add a watch</h2>
      {!created ? (
        <form onSubmit={submit} className="add-watch-form">
          <label className="grow">
            Product page URL
            <input
              name="url"
              type="url"
              required
              placeholder="https://shop.example.com/products/…"
            />
          </label>
          <label>
            Labels
            <input name="labels" placeholder="kitchen, gifts" />
          </label>
          <label>
            Check every
            <select name="interval" defaultValue={3600}>
              {INTERVALS.map((seconds) => (
                <option key={seconds} value={seconds}>
                  {formatInterval(seconds)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={create.isPending}>
            {create.isPending ? 'Adding…' : 'Add and check'}
          </button>
          {create.isError && <ErrorNote error={create.error} />}
        </form>
      ) : (
        <div className="preview" aria-live="polite" data-testid="add-watch-preview">
          {!first.data?.settled ? (
            <p role="status">
              Checking {created.url} for the first time… this takes a few seconds.
            </p>
          ) : first.data.failed ? (
            <div role="alert">
              <p>
                The first check failed:{' '}
                {first.data.watch.health.lastErrorMessage ?? 'no product was found'}. Check the
                address, or remove this watch.
              </p>
            </div>
          ) : (
            <>
              <p>Found on the page:</p>
              <ul className="extracted">
                {first.data.products.map((product) => (
                  <li key={product.id}>
                    <strong>{product.name ?? '(no name)'}</strong> — {formatMoney(product.price)},{' '}
                    {formatAvailability(product.availability)}
                    {product.attributes &&
                      ` (${Object.entries(product.attributes)
                        .map(([key, value]) => `${key}: ${value}`)
                        .join(', ')})`}
                  </li>
                ))}
              </ul>
            </>
          )}
          {first.isError && <ErrorNote error={first.error} />}
          <div className="actions">
            <button
              type="button"
              onClick={keep}
              disabled={!first.data?.settled || first.data.failed}
            >
              Keep watching
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => remove.mutate(created.id)}
              disabled={remove.isPending}
            >
              Remove
            </button>
          </div>
          {remove.isError && <ErrorNote error={remove.error} />}
        </div>
      )}
    </section>
  );
}
