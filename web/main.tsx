// First: it configures zod before any module makes a schema (zodJitless.ts says why).
import './zodJitless';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { loadWebConfig } from './config';

/** Entry: read config.json beside the app, then render the app (or say why it cannot start). */
const root = createRoot(document.getElementById('app')!);
loadWebConfig().then(
  (config) => root.render(<App config={config} />),
  (err: Error) => root.render(
    <main className="page-narrow"><section><h2>sortingview cannot start</h2><p className="error" id="backend-error" role="alert">{err.message}: the deployment's config.json (storageUrl, defaultBackendUri) is missing or malformed.</p></section></main>,
  ),
);
