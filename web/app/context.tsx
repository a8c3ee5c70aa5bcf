import { createContext, useContext } from 'react';
import type { BlobStore } from '../../core/ports/blobStore';
import type { BackendConfig } from '../../core/protocol';
import type { OwnApi } from '../auth/ownApi';
import type { AuthState } from '../auth/useAuth';
import type { WebConfig } from '../config';
import type { TaskClient } from '../data/taskClient';
import type { Route } from '../route';

/** What every page reads: the deployment's config, the chosen backend, and the clients over them. */
export interface AppState {
  config: WebConfig;
  route: Route;
  navigate(route: Route, opts?: { replace?: boolean }): void;
  backendUri: string | null;
  /** The backend config, once read; null while loading or on error. */
  backend: BackendConfig | null;
  backendError: string | null;
  /** Public bucket of the backend (feeds, results). */
  store: BlobStore | null;
  client: TaskClient | null;
  /** Sign-in (Firebase Authentication). */
  auth: AuthState;
  /** Where signed-in calls go for this backend: the deployment's own API only (auth/ownApi.ts). */
  ownApi: OwnApi;
}

/** Pages that hold URL state in a debounce write it at once when this event fires (before a link is copied). */
export const FLUSH_URL_EVENT = 'sortingview-flush-url';

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const v = useContext(AppContext);
  if (!v) throw new Error('useApp outside <AppContext.Provider>');
  return v;
}
