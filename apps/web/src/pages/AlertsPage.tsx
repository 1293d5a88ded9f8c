import { useMemo, useState } from 'react';
import { useAlerts, useProducts } from '../api/queries';
import type { AlertKind } from '../api/types';
import { alertKindLabels } from '../format';
import { Empty, ErrorNote, Loading } from '../layout/states';
import { AlertList } from './alert-list';

export function AlertsPage() {
  const [kind, setKind] = useState<AlertKind | ''>('');
  const alerts = useAlerts({ kind: kind || undefined });
  const products = useProducts();
  const byId = useMemo(
    () => new Map((products.data ?? []).map((product) => [product.id, product])),
    [products.data],
  );
  return (
    <>
      <h1>Alerts</h1>
      <div className="filters">
        <label>
          Kind
          <select value={kind} onChange={(event) => setKind(event.target.value as AlertKind | '')}>
            <option value="">All kinds</option>
            {(Object.keys(alertKindLabels) as AlertKind[]).map((name) => (
              <option key={name} value={name}>
                {alertKindLabels[name]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {alerts.isPending ? (
        <Loading what="alerts" />
      ) : alerts.isError ? (
        <ErrorNote error={alerts.error} retry={() => void alerts.refetch()} />
      ) : alerts.data.length === 0 ? (
        <Empty
          title={kind ? `No ${alertKindLabels[kind].toLowerCase()} alerts yet.` : 'No alerts yet.'}
        >
          <p>Alerts appear here when a watched price or stock level changes as your rules say.</p>
        </Empty>
      ) : (
        <AlertList alerts={alerts.data} products={byId} />
      )}
    </>
  );
}
