import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { productsByTarget, useProducts, useWatches } from '../api/queries';
import type { Availability, Product, Watch } from '../api/types';
import { Sparkline } from '../chart/Sparkline';
import { formatAvailability, formatChange, formatMoney, priceChange } from '../format';
import { Empty, ErrorNote, Loading } from '../layout/states';
import { TableScroll } from '../layout/TableScroll';
import { AddWatch } from './AddWatch';
import { PauseWatchButton } from './PauseWatchButton';
import { HealthBadge, lastCheck } from './watch-health';

const AVAILABILITIES: Availability[] = [
  'InStock',
  'OutOfStock',
  'LimitedAvailability',
  'PreOrder',
  'BackOrder',
  'Discontinued',
  'Unknown',
];

function WatchRow({ watch, product }: { watch: Watch; product: Product | undefined }) {
  const points = watch.sparkline?.points ?? [];
  // The sparkline's last two points are the two newest checks.
  const previous = points.length > 1 ? points[points.length - 2]!.price : null;
  const change = priceChange(previous, product?.price);
  const name = product?.name ?? watch.url;
  return (
    <tr>
      <th scope="row" className="cell-name">
        {product ? (
          <Link to={`/products/${product.id}`}>{name}</Link>
        ) : (
          <span className="url">{name}</span>
        )}
        {watch.labels.length > 0 && (
          <span className="labels">
            {watch.labels.map((label) => (
              <span key={label} className="label">
                {label}
              </span>
            ))}
          </span>
        )}
      </th>
      <td data-label="Shop">{product?.host ?? new URL(watch.url).host}</td>
      <td data-label="Price" className="num">
        {formatMoney(product?.price)}
      </td>
      <td data-label="Change" className={`num change-${change?.direction ?? 'none'}`}>
        {formatChange(change, product?.price?.currency)}
      </td>
      <td data-label="30 days">
        <Sparkline
          values={points.map((point) => (point.price ? Number(point.price.amount) : null))}
          label={`${name}: ${points.length} prices in the last 30 days`}
        />
      </td>
      <td data-label="Stock">{product ? formatAvailability(product.availability) : '—'}</td>
      <td data-label="Last check">{lastCheck(watch)}</td>
      <td data-label="Health">
        <HealthBadge watch={watch} />
      </td>
      <td data-label="Actions">
        <span className="row-actions">
          <Link to={`/watches/${watch.id}`} aria-label={`Edit ${name}`}>
            Edit
          </Link>
          <PauseWatchButton watch={watch} name={name} />
        </span>
      </td>
    </tr>
  );
}

/** The page's own product (the one its sparkline follows), else any product seen through it. */
function productOf(
  watch: Watch,
  byId: ReadonlyMap<string, Product>,
  byTarget: ReadonlyMap<string, Product[]>,
): Product | undefined {
  const primary = watch.sparkline?.productId;
  return (primary ? byId.get(primary) : undefined) ?? byTarget.get(watch.targetId)?.[0];
}

export function WatchesPage() {
  const watches = useWatches();
  const products = useProducts();
  const [search, setSearch] = useState('');
  const [label, setLabel] = useState('');
  const [host, setHost] = useState('');
  const [availability, setAvailability] = useState('');

  const byTarget = useMemo(() => productsByTarget(products.data ?? []), [products.data]);
  const byId = useMemo(
    () => new Map((products.data ?? []).map((product) => [product.id, product])),
    [products.data],
  );
  const labels = useMemo(
    () => [...new Set((watches.data ?? []).flatMap((watch) => watch.labels))].sort(),
    [watches.data],
  );
  const hosts = useMemo(
    () => [...new Set((watches.data ?? []).map((watch) => new URL(watch.url).host))].sort(),
    [watches.data],
  );
  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (watches.data ?? [])
      .map((watch) => ({ watch, product: productOf(watch, byId, byTarget) }))
      .filter(({ watch, product }) => {
        if (label && !watch.labels.includes(label)) return false;
        if (host && new URL(watch.url).host !== host) return false;
        if (availability && product?.availability !== availability) return false;
        if (!needle) return true;
        return [watch.url, product?.name, product?.brand, product?.sku]
          .filter(Boolean)
          .some((text) => text!.toLowerCase().includes(needle));
      });
  }, [watches.data, byId, byTarget, search, label, host, availability]);

  return (
    <>
      <h1>Watches</h1>
      <AddWatch />
      <section aria-labelledby="watch-list-heading">
        <h2 id="watch-list-heading">Your watches</h2>
        <div className="filters" role="search">
          <label>
            Search
            <input
              type="search"
              value={search}
              placeholder="name, brand, SKU or URL"
              onChange={(event) => setSearch(event.target.value)}
            />
          </label>
          <label>
            Label
            <select value={label} onChange={(event) => setLabel(event.target.value)}>
              <option value="">All labels</option>
              {labels.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          </label>
          <label>
            Shop
            <select value={host} onChange={(event) => setHost(event.target.value)}>
              <option value="">All shops</option>
              {hosts.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          </label>
          <label>
            Stock
            <select value={availability} onChange={(event) => setAvailability(event.target.value)}>
              <option value="">Any stock</option>
              {AVAILABILITIES.map((name) => (
                <option key={name} value={name}>
                  {formatAvailability(name)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {watches.isPending ? (
          <Loading what="your watches" />
        ) : watches.isError ? (
          <ErrorNote error={watches.error} retry={() => void watches.refetch()} />
        ) : watches.data.length === 0 ? (
          <Empty title="You are not watching anything yet.">
            <p>Paste the address of a product page above to start watching its price.</p>
          </Empty>
        ) : rows.length === 0 ? (
          <Empty title="No watch matches these filters.">
            <p>Clear the search or pick “All” in the filters.</p>
          </Empty>
        ) : (
          <TableScroll label="Watch table">
            <table className="watches">
              <caption className="visually-hidden">
                {rows.length} of {watches.data.length} watches
              </caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Shop</th>
                  <th scope="col" className="num">
                    Price
                  </th>
                  <th scope="col" className="num">
                    Change
                  </th>
                  <th scope="col">30 days</th>
                  <th scope="col">Stock</th>
                  <th scope="col">Last check</th>
                  <th scope="col">Health</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ watch, product }) => (
                  <WatchRow key={watch.id} watch={watch} product={product} />
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        {products.isError && (
          <ErrorNote error={products.error} retry={() => void products.refetch()} />
        )}
      </section>
    </>
  );
}
