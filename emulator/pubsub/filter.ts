// The subscription filter language (attributes only), parsed once at CreateSubscription so that a
// bad filter is refused there with INVALID_ARGUMENT, as Google does, and evaluated per message.
//
//   attributes:KEY                       key present
//   attributes.KEY = "v" / != "v"        value (!= is true when the key is absent: it is NOT =)
//   hasPrefix(attributes.KEY, "p")       value starts with p
//   NOT e, -e, e AND e, e OR e, ( e )    AND and OR may not be mixed without parentheses
//
// KEY is a bare word (letters, digits, _ and -) or a string literal. Keywords are upper case.
import { invalidArgument } from './errors.js';

export type FilterExpr =
  | { kind: 'has'; key: string }
  | { kind: 'eq'; key: string; value: string }
  | { kind: 'neq'; key: string; value: string }
  | { kind: 'prefix'; key: string; prefix: string }
  | { kind: 'not'; expr: FilterExpr }
  | { kind: 'and' | 'or'; exprs: FilterExpr[] }
  | { kind: 'all' };

type Token = { t: 'word' | 'str' | 'op'; v: string; at: number };

const MAX_FILTER_BYTES = 256;

const fail = (filter: string, why: string) => invalidArgument(`Invalid filter "${filter}": ${why}`);

function unescape(body: string, filter: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[0-7]{3}|.)/g, (_m, e: string) => {
    if (e[0] === 'x' || e[0] === 'u') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]{3}$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };
    if (e in simple) return simple[e];
    throw fail(filter, `unknown escape \\${e}`);
  });
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < filter.length && filter[j] !== '"') j += filter[j] === '\\' ? 2 : 1;
      if (j >= filter.length) throw fail(filter, `unterminated string at ${i}`);
      tokens.push({ t: 'str', v: unescape(filter.slice(i + 1, j), filter), at: i });
      i = j + 1;
    } else if (filter.startsWith('!=', i)) {
      tokens.push({ t: 'op', v: '!=', at: i });
      i += 2;
    } else if ('().,:=-'.includes(c)) {
      tokens.push({ t: 'op', v: c, at: i });
      i++;
    } else if (/[A-Za-z0-9_]/.test(c)) {
      const m = /^[A-Za-z0-9_][A-Za-z0-9_-]*/.exec(filter.slice(i))!;
      tokens.push({ t: 'word', v: m[0], at: i });
      i += m[0].length;
    } else {
      throw fail(filter, `unexpected character '${c}' at ${i}`);
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly filter: string,
  ) {}

  parse(): FilterExpr {
    const expr = this.expr();
    const extra = this.peek();
    if (extra) throw fail(this.filter, `unexpected '${extra.v}' at ${extra.at}`);
    return expr;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(what: string): Token {
    const tok = this.tokens[this.pos++];
    if (!tok) throw fail(this.filter, `expected ${what} but the filter ended`);
    return tok;
  }

  private expect(t: Token['t'], v: string | undefined, what: string): Token {
    const tok = this.next(what);
    if (tok.t !== t || (v !== undefined && tok.v !== v)) throw fail(this.filter, `expected ${what} at ${tok.at}, got '${tok.v}'`);
    return tok;
  }

  private expr(): FilterExpr {
    const first = this.unary();
    const exprs = [first];
    let op: 'AND' | 'OR' | undefined;
    for (let tok = this.peek(); tok?.t === 'word' && (tok.v === 'AND' || tok.v === 'OR'); tok = this.peek()) {
      if (op && op !== tok.v) throw fail(this.filter, `mixing AND and OR needs parentheses (at ${tok.at})`);
      op = tok.v;
      this.pos++;
      exprs.push(this.unary());
    }
    if (!op) return first;
    return { kind: op === 'AND' ? 'and' : 'or', exprs };
  }

  private unary(): FilterExpr {
    const tok = this.peek();
    if ((tok?.t === 'word' && tok.v === 'NOT') || (tok?.t === 'op' && tok.v === '-')) {
      this.pos++;
      return { kind: 'not', expr: this.unary() };
    }
    if (tok?.t === 'op' && tok.v === '(') {
      this.pos++;
      const inner = this.expr();
      this.expect('op', ')', "')'");
      return inner;
    }
    return this.predicate();
  }

  private key(): string {
    const tok = this.next('an attribute key');
    if (tok.t === 'word' || tok.t === 'str') return tok.v;
    throw fail(this.filter, `expected an attribute key at ${tok.at}`);
  }

  private predicate(): FilterExpr {
    const tok = this.next('a condition');
    if (tok.t === 'word' && tok.v === 'hasPrefix') {
      this.expect('op', '(', "'(' after hasPrefix");
      this.expect('word', 'attributes', "'attributes'");
      this.expect('op', '.', "'.'");
      const key = this.key();
      this.expect('op', ',', "','");
      const prefix = this.expect('str', undefined, 'a string literal').v;
      this.expect('op', ')', "')'");
      return { kind: 'prefix', key, prefix };
    }
    if (tok.t !== 'word' || tok.v !== 'attributes') {
      throw fail(this.filter, `expected 'attributes' or 'hasPrefix' at ${tok.at}, got '${tok.v}'`);
    }
    const sep = this.next("':' or '.'");
    if (sep.t === 'op' && sep.v === ':') return { kind: 'has', key: this.key() };
    if (sep.t !== 'op' || sep.v !== '.') throw fail(this.filter, `expected ':' or '.' at ${sep.at}`);
    const key = this.key();
    const op = this.next("'=' or '!='");
    if (op.t !== 'op' || (op.v !== '=' && op.v !== '!=')) throw fail(this.filter, `expected '=' or '!=' at ${op.at}`);
    const value = this.expect('str', undefined, 'a string literal').v;
    return { kind: op.v === '=' ? 'eq' : 'neq', key, value };
  }
}

/** Parses a filter; '' matches everything. Throws INVALID_ARGUMENT with the reason. */
export function parseFilter(filter: string): FilterExpr {
  if (Buffer.byteLength(filter) > MAX_FILTER_BYTES) throw fail(filter, `longer than ${MAX_FILTER_BYTES} bytes`);
  const tokens = tokenize(filter);
  if (tokens.length === 0) return { kind: 'all' };
  return new Parser(tokens, filter).parse();
}

export function matchesFilter(expr: FilterExpr, attributes: Record<string, string>): boolean {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(attributes, k);
  switch (expr.kind) {
    case 'all':
      return true;
    case 'has':
      return has(expr.key);
    case 'eq':
      return has(expr.key) && attributes[expr.key] === expr.value;
    case 'neq':
      return !(has(expr.key) && attributes[expr.key] === expr.value);
    case 'prefix':
      return has(expr.key) && attributes[expr.key].startsWith(expr.prefix);
    case 'not':
      return !matchesFilter(expr.expr, attributes);
    case 'and':
      return expr.exprs.every((e) => matchesFilter(e, attributes));
    case 'or':
      return expr.exprs.some((e) => matchesFilter(e, attributes));
  }
}
