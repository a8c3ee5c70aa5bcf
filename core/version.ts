import pkg from '../package.json';

/** The one version string: package.json's. The backend config and get_backend_info report it. */
export const SORTINGVIEW_VERSION: string = pkg.version;
