/** One product: the price history chart, its variants side by side, raw observations, alerts, CSV. */
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  productsByTarget,
  useAlerts,
  usePriceHistory,
  useProduct,
  useProducts,
} from '../api/queries';
import type { Product } from '../api/types';
import { PriceChart } from '../chart/PriceChart';
import { priceSeries, RANGE_PRESETS, type RangePreset } from '../chart/price-series';
import { formatAvailability, formatDateTime, formatMoney } from '../format';
import { Empty, ErrorNote, Loading } from '../layout/states';
import { TableScroll } from '../layout/TableScroll';
import { AlertList } from './alert-list';

const OBSERVATIONS_SHOWN = 50;

async function downloadCsv(product: Product): Promise<void> {
  // The api serves CSV for Accept: text/csv; a plain link cannot send that header.
  const response = await fetch(`/v1/products/${product.id}/prices?page_size=1000`, {
    headers: { accept: 'text/csv' },
    credentials: 'same-origin',
  });
  if (!response.ok)
    throw new Error(`The CSV download failed (HTTP ${response.status}). Try again.`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `${product.sku ?? product.id}-prices.csv`;
  link.click();
  URL.revokeObjectURL(url);
}

function Variants({ product, siblings }: { product: Product; siblings: Product[] }) {
  if (siblings.length < 2) return null;
  return (
    <section aria-labelledby="variants-heading">
      <h2 id="variants-heading">Variants on this page</h2>
      <ul className="variants">
        {siblings.map((variant) => (
          <li key={variant.id} className={variant.id === product.id ? 'current' : undefined}>
            <Link
              to={`/products/${variant.id}`}
              aria-current={variant.id === product.id ? 'page' : undefined}
            >
              {variant.attributes
                ? Object.values(variant.attributes).join(' / ')
                : (variant.name ?? variant.sku ?? 'variant')}
            </Link>
            <span className="num">{formatMoney(variant.price)}</span>
            <span>{formatAvailability(variant.availability)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ProductPage() {
  const { id = '' } = useParams();
  const product = useProduct(id);
  const history = usePriceHistory(id);
  const products = useProducts();
  const alerts = useAlerts({ productId: id });
  const [preset, setPreset] = useState<RangePreset>('30d');
  const [csvError, setCsvError] = useState<unknown>(null);
  const series = useMemo(() => priceSeries(history.data ?? []), [history.data]);

  if (product.isPending) return <Loading what="the product" />;
  if (product.isError)
    return (
      <>
        <h1>Product</h1>
        <ErrorNote error={product.error} retry={() => void product.refetch()} />
        <Link to="/">Back to your watches</Link>
      </>
    );
  const item = product.data;
  const siblings = item.targetId
    ? (productsByTarget(products.data ?? []).get(item.targetId) ?? [])
    : [];
  const newestFirst = [...(history.data ?? [])].reverse().slice(0, OBSERVATIONS_SHOWN);

  return (
    <>
      <h1>{item.name ?? item.url}</h1>
      <dl className="facts">
        <dt>Price</dt>
        <dd className="num">{formatMoney(item.price)}</dd>
        <dt>List price</dt>
        <dd className="num">{formatMoney(item.listPrice)}</dd>
        <dt>Stock</dt>
        <dd>{formatAvailability(item.availability)}</dd>
        <dt>Shop</dt>
        <dd>
          <a href={item.url} rel="noreferrer noopener" target="_blank">
            {item.host}
          </a>
        </dd>
      </dl>

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Price history</h2>
        <div className="chart-toolbar">
          <div role="group" aria-label="Range" className="presets">
            {RANGE_PRESETS.map((name) => (
              <button
                key={name}
                type="button"
                aria-pressed={preset === name}
                onClick={() => setPreset(name)}
              >
                {name}
              </button>
            ))}
          </div>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setCsvError(null);
              downloadCsv(item).catch(setCsvError);
            }}
          >
            Download CSV
          </button>
        </div>
        <p className="hint">
          Drag across the chart to zoom, double-click to zoom out. Shaded: out of stock.
        </p>
        {csvError !== null && <ErrorNote error={csvError} />}
        {history.isError ? (
          <ErrorNote error={history.error} retry={() => void history.refetch()} />
        ) : history.isPending ? (
          <div className="chart-placeholder" role="status">
            Loading the price history…
          </div>
        ) : series.x.length === 0 ? (
          <div className="chart-placeholder">
            No price recorded yet: the first check is on its way.
          </div>
        ) : (
          <PriceChart
            series={series}
            preset={preset}
            label={`Price history of ${item.name ?? 'this product'}: ${series.x.length} observations`}
          />
        )}
      </section>

      <Variants product={item} siblings={siblings} />

      <section aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">Alerts</h2>
        {alerts.isPending ? (
          <Loading what="alerts" />
        ) : alerts.isError ? (
          <ErrorNote error={alerts.error} retry={() => void alerts.refetch()} />
        ) : alerts.data.length === 0 ? (
          <Empty title="No alerts for this product yet." />
        ) : (
          <AlertList alerts={alerts.data} />
        )}
      </section>

      <section aria-labelledby="observations-heading">
        <h2 id="observations-heading">Observations</h2>
        {newestFirst.length === 0 ? (
          <Empty title="No observations yet." />
        ) : (
          <TableScroll label="Observations">
            <table className="observations">
              <caption className="visually-hidden">
                The newest {newestFirst.length} of {history.data?.length ?? 0} observations
              </caption>
              <thead>
                <tr>
                  <th scope="col">Observed</th>
                  <th scope="col" className="num">
                    Price
                  </th>
                  <th scope="col" className="num">
                    List price
                  </th>
                  <th scope="col">Stock</th>
                  <th scope="col">Not modified</th>
                </tr>
              </thead>
              <tbody>
                {newestFirst.map((point) => (
                  <tr key={point.id}>
                    <td>
                      <time dateTime={point.observedAt}>{formatDateTime(point.observedAt)}</time>
                    </td>
                    <td className="num">{formatMoney(point.price)}</td>
                    <td className="num">{formatMoney(point.listPrice)}</td>
                    <td>{formatAvailability(point.availability)}</td>
                    <td>{point.notModified ? 'yes (304)' : 'no'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </>
  );
}
