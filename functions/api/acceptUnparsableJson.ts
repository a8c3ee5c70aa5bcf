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
