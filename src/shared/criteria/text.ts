import { CRITERIA_LIMITS, type CriteriaGroup, type CriteriaNode, type CriteriaRule, isGroup } from './ast.js';
import { criteriaField } from './fields.js';

/** A syntax error in the text form: what went wrong and the 0-based character position. */
export interface CriteriaSyntaxError {
  message: string;
  position: number;
}

export type CriteriaParse = { ok: true; criteria: CriteriaGroup } | { ok: false; error: CriteriaSyntaxError };

type TokenKind = 'word' | 'string' | 'number' | 'cmp' | '(' | ')' | ',' | 'eof';
interface Token {
  kind: TokenKind;
  text: string;
  value?: string | number;
  pos: number;
}

class SyntaxFailure extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const cmpOps: Record<string, string> = {
  '=': 'eq',
  '!=': 'neq',
  '<>': 'neq',
  '>': 'gt',
  '>=': 'gte',
  '<': 'lt',
  '<=': 'lte',
};
const cmpSymbols: Record<string, string> = { eq: '=', neq: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' };
const escapes: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const reserved = new Set(['AND', 'OR', 'NOT']);
const MAX_PARENS = 32;
const purchaseKeys = new Set(['product_sku', 'category', 'product_id']);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const start = i;
    if (ch === '(' || ch === ')' || ch === ',') {
      out.push({ kind: ch, text: ch, pos: i });
      i += 1;
    } else if (ch === '"') {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= src.length) throw new SyntaxFailure('Unterminated string: add the closing "', start);
        const c = src[i]!;
        if (c === '"') break;
        if (c === '\\') {
          const e = src[i + 1];
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
            value += String.fromCharCode(Number.parseInt(src.slice(i + 2, i + 6), 16));
            i += 6;
          } else if (e !== undefined && escapes[e] !== undefined) {
            value += escapes[e];
            i += 2;
          } else {
            throw new SyntaxFailure('Unknown escape in string (use \\" \\\\ \\n \\t or \\uXXXX)', i);
          }
        } else {
          value += c;
          i += 1;
        }
      }
      i += 1;
      out.push({ kind: 'string', text: src.slice(start, i), value, pos: start });
    } else if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i))!;
      i += m[0].length;
      if (/[A-Za-z_]/.test(src[i] ?? '')) throw new SyntaxFailure(`Unexpected "${src[i]}" after a number`, i);
      out.push({ kind: 'number', text: m[0], value: Number(m[0]), pos: start });
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      i += m[0].length;
      out.push({ kind: 'word', text: m[0], pos: start });
    } else if ('=!<>'.includes(ch)) {
      const two = src.slice(i, i + 2);
      const op = cmpOps[two] ? two : cmpOps[ch] ? ch : null;
      if (!op) throw new SyntaxFailure(`Unexpected "${ch}"`, i);
      i += op.length;
      out.push({ kind: 'cmp', text: op, pos: start });
    } else {
      throw new SyntaxFailure(`Unexpected character "${ch}"`, i);
    }
  }
  out.push({ kind: 'eof', text: '', pos: src.length });
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i += 1;
    return t;
  }
  private isKw(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'word' && t.text.toUpperCase() === word;
  }
  private fail(message: string, t: Token = this.peek()): never {
    throw new SyntaxFailure(message, t.pos);
  }
  private describe(t: Token): string {
    return t.kind === 'eof' ? 'the end' : `"${t.text}"`;
  }
  private expectKw(word: string): Token {
    if (!this.isKw(word)) this.fail(`Expected ${word} but found ${this.describe(this.peek())}`);
    return this.next();
  }
  private expect(kind: TokenKind, what: string): Token {
    if (this.peek().kind !== kind) this.fail(`Expected ${what} but found ${this.describe(this.peek())}`);
    return this.next();
  }

  parseRoot(): CriteriaGroup {
    if (this.peek().kind === 'eof') return { match: 'all', rules: [] };
    const node = this.parseOr(0);
    if (this.peek().kind !== 'eof')
      this.fail(`Expected AND, OR or the end but found ${this.describe(this.peek())}`);
    return isGroup(node) ? node : { match: 'all', rules: [node] };
  }

  private chain(word: 'AND' | 'OR', depth: number, item: (d: number) => CriteriaNode): CriteriaNode {
    const rules = [item(depth)];
    while (this.isKw(word)) {
      this.next();
      rules.push(item(depth));
    }
    return rules.length === 1 ? rules[0]! : { match: word === 'AND' ? 'all' : 'any', rules };
  }
  private parseOr(depth: number): CriteriaNode {
    return this.chain('OR', depth, (d) => this.parseAnd(d));
  }
  private parseAnd(depth: number): CriteriaNode {
    return this.chain('AND', depth, (d) => this.parseUnary(d));
  }
  private parseUnary(depth: number): CriteriaNode {
    if (this.isKw('NOT') && this.isKw('PURCHASED', 1)) {
      this.next();
      return this.parsePurchased(true);
    }
    if (this.isKw('NOT')) {
      this.next();
      const inner = this.parseUnary(depth);
      return isGroup(inner) && !inner.not
        ? { ...inner, not: true }
        : { match: 'all', not: true, rules: [inner] };
    }
    if (this.peek().kind === '(') {
      const open = this.next();
      // a guard for the parser's stack; validateCriteria enforces the real depth limit
      if (depth >= MAX_PARENS) this.fail(`Parentheses nest at most ${MAX_PARENS} deep`, open);
      const inner = this.parseOr(depth + 1);
      this.expect(')', '")"');
      return inner;
    }
    return this.parseCondition();
  }

  private parsePurchased(negated: boolean): CriteriaRule {
    this.expectKw('PURCHASED');
    const value: Record<string, unknown> = {};
    const t = this.peek();
    if (t.kind === 'word' && !this.isKw('WITHIN') && !reserved.has(t.text.toUpperCase())) {
      const key = t.text.toLowerCase() === 'sku' ? 'product_sku' : t.text.toLowerCase();
      if (!purchaseKeys.has(key))
        this.fail(`Expected product_sku, category or product_id but found "${t.text}"`);
      this.next();
      const eq = this.expect('cmp', '"="');
      if (eq.text !== '=') this.fail('Only "=" is allowed after PURCHASED', eq);
      value[key] = this.parseValue();
    }
    if (this.isKw('WITHIN')) {
      this.next();
      value.within_days = this.parseDays();
    }
    return { field: 'orders', op: negated ? 'not_purchased' : 'purchased', value };
  }

  private parseDays(): number {
    const n = this.expect('number', 'a number of days');
    if (!this.isKw('DAYS') && !this.isKw('DAY'))
      this.fail(`Expected DAYS but found ${this.describe(this.peek())}`);
    this.next();
    return n.value as number;
  }

  private parseValue(): unknown {
    const t = this.peek();
    if (t.kind === 'string' || t.kind === 'number') {
      this.next();
      return t.value;
    }
    if (t.kind === 'word' && !reserved.has(t.text.toUpperCase())) {
      this.next();
      const lower = t.text.toLowerCase();
      return lower === 'true' ? true : lower === 'false' ? false : t.text;
    }
    return this.fail(`Expected a value but found ${this.describe(t)}`);
  }

  private parseList(): unknown[] {
    this.expect('(', '"(" to start a list');
    const values = [this.parseValue()];
    while (this.peek().kind === ',') {
      this.next();
      values.push(this.parseValue());
    }
    this.expect(')', '"," or ")"');
    return values;
  }

  private parseCondition(): CriteriaRule {
    if (this.isKw('PURCHASED')) return this.parsePurchased(false);
    const nameTok = this.peek();
    if (nameTok.kind !== 'word' || reserved.has(nameTok.text.toUpperCase())) {
      this.fail(`Expected a field name but found ${this.describe(nameTok)}`);
    }
    this.next();
    const name = nameTok.text;
    if (name === 'tag') return this.parseTagSugar(nameTok);
    const field = criteriaField(name);
    if (!field) this.fail(`Unknown field "${name}"`, nameTok);

    if (field.type === 'order_window') {
      this.expect('(', `"(" and a number of days after ${name}`);
      const days = this.expect('number', 'a number of days').value;
      this.expect(')', '")"');
      const cmp = this.expect('cmp', 'a comparison such as >=');
      const amount = this.expect('number', 'an amount').value;
      return this.checked(field.name, cmpOps[cmp.text]!, { days, amount }, cmp);
    }

    const opTok = this.peek();
    if (opTok.kind === 'cmp') {
      this.next();
      return this.checked(name, cmpOps[opTok.text]!, this.parseValue(), opTok);
    }
    if (opTok.kind !== 'word')
      this.fail(`Expected an operator after "${name}" but found ${this.describe(opTok)}`);
    const word = opTok.text.toUpperCase();
    this.next();
    switch (word) {
      case 'IN':
        return this.checked(name, 'in', this.parseList(), opTok);
      case 'NOT':
        if (this.isKw('IN')) {
          this.next();
          return this.checked(name, 'not_in', this.parseList(), opTok);
        }
        this.expectKw('CONTAINS');
        return this.checked(name, 'not_contains', this.parseValue(), opTok);
      case 'CONTAINS':
        return this.checked(name, 'contains', this.parseValue(), opTok);
      case 'STARTS':
        this.expectKw('WITH');
        return this.checked(name, 'starts_with', this.parseValue(), opTok);
      case 'BETWEEN': {
        const from = this.parseValue();
        this.expectKw('AND');
        return this.checked(name, 'between', [from, this.parseValue()], opTok);
      }
      case 'IS':
        if (this.isKw('NOT')) {
          this.next();
          this.expectKw('EMPTY');
          return this.checked(name, 'is_not_empty', undefined, opTok);
        }
        this.expectKw('EMPTY');
        return this.checked(name, 'is_empty', undefined, opTok);
      case 'OLDER':
        this.expectKw('THAN');
        return this.checked(name, 'older_than_days', this.parseDays(), opTok);
      case 'WITHIN':
        if (this.isKw('LAST')) this.next();
        return this.checked(name, 'within_last_days', this.parseDays(), opTok);
      case 'HAS': {
        const kind = this.peek();
        const op = { ANY: 'has_any', ALL: 'has_all', NONE: 'has_none' }[kind.text.toUpperCase()];
        if (kind.kind !== 'word' || !op) this.fail('Expected ANY, ALL or NONE after HAS', kind);
        this.next();
        return this.checked(name, op, this.parseList(), opTok);
      }
      default:
        return this.fail(`Unknown operator "${opTok.text}" after "${name}"`, opTok);
    }
  }

  /** `tag = "vip"` (has_any), `tag != "vip"` (has_none), `tag IN (...)`, `tag NOT IN (...)`. */
  private parseTagSugar(nameTok: Token): CriteriaRule {
    const t = this.next();
    if (t.kind === 'cmp' && (t.text === '=' || t.text === '!=' || t.text === '<>')) {
      return { field: 'tags', op: t.text === '=' ? 'has_any' : 'has_none', value: [this.parseValue()] };
    }
    if (t.kind === 'word' && t.text.toUpperCase() === 'IN')
      return { field: 'tags', op: 'has_any', value: this.parseList() };
    if (t.kind === 'word' && t.text.toUpperCase() === 'NOT' && this.isKw('IN')) {
      this.next();
      return { field: 'tags', op: 'has_none', value: this.parseList() };
    }
    return this.fail(`After "${nameTok.text}" use =, !=, IN or NOT IN (or tags HAS ANY/ALL/NONE)`, t);
  }

  private checked(name: string, op: string, value: unknown, opTok: Token): CriteriaRule {
    const field = criteriaField(name)!;
    if (!(field.ops as readonly string[]).includes(op)) {
      this.fail(
        `Operator ${op} is not allowed for field "${name}"; use one of ${field.ops.join(', ')}`,
        opTok,
      );
    }
    return value === undefined ? { field: name, op } : { field: name, op, value };
  }
}

/**
 * Parses the text form (`lifetime_value >= 500 AND (tag = "vip" OR lifecycle_stage IN (at_risk))`)
 * into a canonical tree. Fields and operators are checked against the catalogue here (errors
 * carry the position); value types are left to {@link validateCriteria}.
 */
export function parseCriteriaText(src: string): CriteriaParse {
  if (src.length > CRITERIA_LIMITS.maxTextLength) {
    return {
      ok: false,
      error: {
        message: `At most ${CRITERIA_LIMITS.maxTextLength} characters`,
        position: CRITERIA_LIMITS.maxTextLength,
      },
    };
  }
  try {
    return { ok: true, criteria: new Parser(tokenize(src)).parseRoot() };
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, error: { message: e.message, position: e.position } };
    throw e;
  }
}

const printValue = (v: unknown): string =>
  typeof v === 'string'
    ? JSON.stringify(v)
    : typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : JSON.stringify(v);
const printList = (v: unknown) => `(${(Array.isArray(v) ? v : [v]).map(printValue).join(', ')})`;

function printRule(r: CriteriaRule): string {
  const v = r.value;
  if (r.op === 'purchased' || r.op === 'not_purchased') {
    const o = (v ?? {}) as Record<string, unknown>;
    const key = ['product_sku', 'category', 'product_id'].find((k) => o[k] !== undefined);
    const parts = [r.op === 'purchased' ? 'PURCHASED' : 'NOT PURCHASED'];
    if (key) parts.push(`${key} = ${printValue(o[key])}`);
    if (o.within_days !== undefined) parts.push(`WITHIN ${printValue(o.within_days)} DAYS`);
    return parts.join(' ');
  }
  if (criteriaField(r.field)?.type === 'order_window') {
    const o = (v ?? {}) as Record<string, unknown>;
    return `${r.field}(${printValue(o.days)}) ${cmpSymbols[r.op] ?? r.op} ${printValue(o.amount)}`;
  }
  const f = r.field;
  switch (r.op) {
    case 'in':
      return `${f} IN ${printList(v)}`;
    case 'not_in':
      return `${f} NOT IN ${printList(v)}`;
    case 'contains':
      return `${f} CONTAINS ${printValue(v)}`;
    case 'not_contains':
      return `${f} NOT CONTAINS ${printValue(v)}`;
    case 'starts_with':
      return `${f} STARTS WITH ${printValue(v)}`;
    case 'between': {
      const [a, b] = Array.isArray(v) ? v : [v, v];
      return `${f} BETWEEN ${printValue(a)} AND ${printValue(b)}`;
    }
    case 'is_empty':
      return `${f} IS EMPTY`;
    case 'is_not_empty':
      return `${f} IS NOT EMPTY`;
    case 'older_than_days':
      return `${f} OLDER THAN ${printValue(v)} DAYS`;
    case 'within_last_days':
      return `${f} WITHIN ${printValue(v)} DAYS`;
    case 'has_any':
      return `${f} HAS ANY ${printList(v)}`;
    case 'has_all':
      return `${f} HAS ALL ${printList(v)}`;
    case 'has_none':
      return `${f} HAS NONE ${printList(v)}`;
    default:
      return `${f} ${cmpSymbols[r.op] ?? r.op} ${printValue(v)}`;
  }
}

function printBody(g: CriteriaGroup): string {
  return g.rules
    .map((n) => (isGroup(n) ? `${n.not ? 'NOT ' : ''}(${printBody(n)})` : printRule(n)))
    .join(g.match === 'all' ? ' AND ' : ' OR ');
}

/**
 * Prints a (valid) tree in the text form. Nested groups are always parenthesised, so
 * `parseCriteriaText(printCriteria(t))` gives back `canonicalize(t)`.
 */
export function printCriteria(root: CriteriaGroup): string {
  const body = printBody(root);
  return root.not ? `NOT (${body})` : body;
}
