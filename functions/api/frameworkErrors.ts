import { createRequire } from 'node:module';

/**
 * functions-framework parses every body before user code runs, buffering up to 1024 MB, and answers a
 * JSON syntax error with Express's HTML error page. Both break our rules (bodies over 1 MB are
 * refused unread; every error is `{error, message}` JSON). It builds its parsers when the server is
 * created, after this module is loaded, so we wrap the factories of the very body-parser instance it
 * uses: each parser gets our limit, and a body that is too large or not valid JSON is handed to the
 * handler (`req.bodyTooLarge`, `req.bodyParseError`) instead of becoming an Express error. Same code
 * in production and locally. The API and fault tests fail if a framework upgrade changes this.
 */
export function acceptUnparsableJson(limitBytes: number): void {
  const frameworkRequire = createRequire(createRequire(import.meta.url).resolve('@google-cloud/functions-framework'));
  const bodyParser = frameworkRequire('body-parser') as Record<ParserName, (opts?: object) => Middleware> & { __sortingviewWrapped?: boolean };
  if (bodyParser.__sortingviewWrapped) return;
  for (const name of ['json', 'text', 'raw', 'urlencoded'] as const) {
    const original = bodyParser[name];
    bodyParser[name] = (opts?: object) => {
      const parse = original({ ...opts, limit: limitBytes });
      return (req, res, next) =>
        parse(req, res, (err?: unknown) => {
          const type = (err as { type?: string })?.type;
          if (type === 'entity.parse.failed') (req as { bodyParseError?: unknown }).bodyParseError = err;
          else if (type === 'entity.too.large') (req as { bodyTooLarge?: unknown }).bodyTooLarge = err;
          else return next(err);
          next();
        });
    };
  }
  bodyParser.__sortingviewWrapped = true;
}

type ParserName = 'json' | 'text' | 'raw' | 'urlencoded';
type Middleware = (req: unknown, res: unknown, next: (err?: unknown) => void) => void;

/**
 * Errors that functions-framework's Express app raises before our handler runs (a URL that does not
 * decode, like `/%ff`; a body in an unsupported charset or encoding; a body parser failing) otherwise
 * reach Express's final handler, which answers an HTML page. Every Express app copies
 * `express.application.handle` when it is created (after this module loads), so wrapping it here gives
 * each request a final handler that answers `{error, message}` JSON instead. Found by test/faults.
 */
export function answerFrameworkErrorsAsJson(): void {
  const frameworkRequire = createRequire(createRequire(import.meta.url).resolve('@google-cloud/functions-framework'));
  const application = (frameworkRequire('express') as { application: ExpressApplication }).application;
  if (application.__sortingviewWrapped) return;
  const originalHandle = application.handle;
  application.handle = function handle(this: unknown, req, res, callback) {
    return originalHandle.call(this, req, res, callback ?? ((err?: unknown) => finalJson(err, res)));
  };
  application.__sortingviewWrapped = true;
}

interface FinalResponse {
  headersSent: boolean;
  statusCode: number;
  setHeader(name: string, value: string): void;
  end(body?: string): void;
  destroy?(): void;
}
interface ExpressApplication {
  handle(req: unknown, res: FinalResponse, callback?: (err?: unknown) => void): unknown;
  __sortingviewWrapped?: boolean;
}

function finalJson(err: unknown, res: FinalResponse): void {
  if (res.headersSent) {
    res.destroy?.();
    return;
  }
  const e = err as { status?: number; statusCode?: number; type?: string; message?: string } | undefined;
  let status = e ? Number(e.status ?? e.statusCode ?? 500) : 404;
  if (!(status >= 400 && status < 600)) status = 500;
  const error = !e ? 'not_found' : err instanceof URIError ? 'bad_url' : status < 500 ? (e.type ?? 'bad_request').replace(/\./g, '_') : 'internal';
  const message = !e ? 'No such endpoint.'
    : err instanceof URIError ? `The request URL does not decode: ${e.message}. Percent-encode it as UTF-8.`
      : status < 500 ? `Bad request: ${e.message ?? String(err)}` : `Internal error: ${e.message ?? String(err)}`;
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ error, message }));
}
