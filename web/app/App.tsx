import { useCallback, useEffect, useMemo, useState } from 'react';
import type { WebConfig } from '../config';
import { HomePage } from '../home/HomePage';
import { formatRoute, pageOf, parseRoute, type Route } from '../route';
import { ComparisonPage } from '../comparison/ComparisonPage';
import { SortingPage } from '../sorting/SortingPage';
import { WorkspacePage } from '../workspace/WorkspacePage';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { AppBar } from './AppBar';
import { AppContext, type AppState } from './context';
import { useBackend } from './useBackend';
import { ownApiFor } from '../auth/ownApi';
import { useAuth } from '../auth/useAuth';

/** The whole app: the route from the URL, the backend it names, and the page. */
export function App({ config }: { config: WebConfig }) {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.search));
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((next: Route, opts?: { replace?: boolean }) => {
    const url = `${location.pathname}${formatRoute(next)}`;
    if (url !== `${location.pathname}${location.search}`) {
      if (opts?.replace) history.replaceState(null, '', url);
      else history.pushState(null, '', url);
    }
    setRoute(next);
  }, []);

  const backendUri = route.backend ?? config.defaultBackendUri ?? null;
  const { backend, error, store, client } = useBackend(config, backendUri);
  const auth = useAuth(config.firebase);
  const backendApiUrl = backend?.apiUrl;
  const ownApi = useMemo(() => ownApiFor(config.apiUrl, backendApiUrl ? { apiUrl: backendApiUrl } : null), [config.apiUrl, backendApiUrl]);
  const app: AppState = useMemo(() => ({
    config, route, navigate, backendUri, backend, backendError: error, store, client, auth, ownApi,
  }), [config, route, navigate, backendUri, backend, error, store, client, auth, ownApi]);

  const page = pageOf(route);
  return (
    <AppContext.Provider value={app}>
      <div className={`app page-${page}`}>
        <AppBar />
        <ErrorBoundary key={page} label="This page">
          {page === 'home' ? <HomePage /> : null}
          {page === 'workspace' ? <WorkspacePage /> : null}
          {page === 'sorting' ? <SortingPage key={`${route.workspace}/${route.sortingId}`} /> : null}
          {page === 'comparison' ? <ComparisonPage key={`${route.workspace}/${route.sortingId}/${route.compareSortingId}`} /> : null}
        </ErrorBoundary>
      </div>
    </AppContext.Provider>
  );
}
