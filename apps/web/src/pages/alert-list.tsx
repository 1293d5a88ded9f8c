import { Link } from 'react-router';
import type { Alert, Product } from '../api/types';
import { alertKindLabels, formatDateTime, formatMoney } from '../format';

/** Alerts as a list of sentences, newest first. */
export function AlertList({
  alerts,
  products,
}: {
  alerts: readonly Alert[];
  products?: ReadonlyMap<string, Product>;
}) {
  return (
    <ol className="alert-list">
      {alerts.map((alert) => {
        const product = products?.get(alert.productId);
        return (
          <li key={alert.id} className={`alert alert-${alert.kind}`}>
            <span className="alert-kind">{alertKindLabels[alert.kind]}</span>{' '}
            {products && (
              <Link to={`/products/${alert.productId}`}>{product?.name ?? 'a product'}</Link>
            )}{' '}
            <span className="alert-change">
              {alert.previous ? `${formatMoney(alert.previous)} → ` : ''}
              {formatMoney(alert.current)}
              {alert.changePercent ? ` (${alert.changePercent} %)` : ''}
            </span>{' '}
            <time dateTime={alert.observedAt}>{formatDateTime(alert.observedAt)}</time>
          </li>
        );
      })}
    </ol>
  );
}
