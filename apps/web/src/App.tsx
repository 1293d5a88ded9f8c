import { Route, Routes } from 'react-router';
import { useSession } from './api/session';
import { Shell } from './layout/Shell';
import { Loading } from './layout/states';
import { AlertsPage } from './pages/AlertsPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { ProductPage } from './pages/ProductPage';
import { SettingsPage } from './pages/SettingsPage';
import { SignIn } from './pages/SignIn';
import { WatchesPage } from './pages/WatchesPage';
import { WatchPage } from './pages/WatchPage';
import { Empty } from './layout/states';

export function App() {
  const { session, loading } = useSession();
  if (loading)
    return (
      <main id="main">
        <Loading what="shelfwatch" />
      </main>
    );
  if (!session) return <SignIn />;
  return (
    <Routes>
      <Route element={<Shell />}>
        <Route index element={<WatchesPage />} />
        <Route path="watches/:id" element={<WatchPage />} />
        <Route path="products/:id" element={<ProductPage />} />
        <Route path="alerts" element={<AlertsPage />} />
        <Route path="notifications" element={<NotificationsPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route
          path="*"
          element={
            <Empty title="There is no page at this address.">
              <p>Use the menu above to find your watches, alerts and settings.</p>
            </Empty>
          }
        />
      </Route>
    </Routes>
  );
}
