import { createRequire } from 'node:module';

/**
 * functions-framework parses JSON bodies before user code runs and answers a syntax error with
 * Express's HTML error page, which breaks our rule that every error is `{error, message}` JSON. It
 * builds its parsers when the server is created, after this module is loaded, so we wrap the factory
 * of the very body-parser instance it uses: a parse failure is handed to the handler as
 * `req.bodyParseError` instead of an Express error. Same code in production and locally.
 * Checked by the API tests (malformed JSON gets a JSON 400); if a framework upgrade changes this,
 * those tests fail.
 */
export function acceptUnparsableJson(): void {
  const frameworkRequire = createRequire(createRequire(import.meta.url).resolve('@google-cloud/functions-framework'));
  const bodyParser = frameworkRequire('body-parser') as { json: (opts?: unknown) => Middleware; __sortingviewWrapped?: boolean };
  if (bodyParser.__sortingviewWrapped) return;
  const originalJson = bodyParser.json;
  bodyParser.json = (opts?: unknown) => {
    const parse = originalJson(opts);
    return (req, res, next) =>
      parse(req, res, (err?: unknown) => {
        if ((err as { type?: string })?.type === 'entity.parse.failed') {
          (req as { bodyParseError?: unknown }).bodyParseError = err;
          next();
        } else next(err);
      });
  };
  bodyParser.__sortingviewWrapped = true;
}

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
