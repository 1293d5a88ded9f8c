import { NavLink, Outlet } from 'react-router';
import { useSession } from '../api/session';

export function Shell() {
  const { session, signOut } = useSession();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">shelfwatch</span>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Watches
          </NavLink>
          <NavLink to="/alerts">Alerts</NavLink>
          <NavLink to="/notifications">Notifications</NavLink>
          <NavLink to="/settings">Settings</NavLink>
        </nav>
        <span className="who">
          <span className="who-email">{session?.user.email}</span>
          <button type="button" className="link-button" onClick={() => void signOut()}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
