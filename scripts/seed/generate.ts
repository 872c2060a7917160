import type { Catalog, Product } from './catalog.js';
import { IdSequence, uuid7 } from './ids.js';
import type { CountryPool, Pools, Word } from './pools.js';
import { Rng, streamSeed, WeightedPicker, weighted } from './random.js';

/**
 * The demo world, one customer at a time. For customer i the generator writes, as COPY text rows,
 * its orders and their items, its contacts, one timeline event and finally the customer row and
 * its metrics row (customer_metrics, with status, stage and country). The metrics (total_orders, ...) and
 * search_text are computed here exactly as the database would compute them, so the load can
 * verify them with the database's own functions instead of rewriting a million rows.
 */

export interface Sink {
  write(row: string): void;
}
export interface Sinks {
  customers: Sink;
  metrics: Sink;
  emails: Sink;
  phones: Sink;
  addresses: Sink;
  events: Sink;
  orders: Sink;
  items: Sink;
}

export interface GeneratorOptions {
  customers: number;
  ordersPerCustomerAvg: number;
  seed: number;
  /** "Now" of the generated world: dates run over the three years before it. */
  asOf: Date;
}

const DAY = 86_400_000;
/** Share of customers who ever buy (the rest stay leads), and the spread of purchase rates. */
const BUYER_SHARE = 0.8;
const PROPENSITY_SHAPE = 0.75;
const YEAR = 365.25 * DAY;
const SPAN = 3 * YEAR;
const N = '\\N';

const streams = { core: 1, profile: 2, orders: 3 } as const;
const tags = {
  products: 1,
  emails: 2,
  phones: 3,
  addresses: 4,
  events: 5,
  orders: 6,
  items: 7,
  customers: 8,
};

const sources = weighted({
  organic: 28,
  google: 22,
  facebook: 11,
  referral: 10,
  newsletter: 8,
  instagram: 9,
  signup: 12,
});
const contactMethods = weighted({ email: 76, phone: 14, sms: 10 });
const itemCounts = new WeightedPicker([1, 2, 3, 4, 5], [46, 28, 14, 8, 4]);
const quantities = new WeightedPicker([1, 2, 3, 4], [82, 13, 4, 1]);
const statusFresh = weighted({ pending: 35, paid: 60, cancelled: 5 });
const statusRecent = weighted({ paid: 45, fulfilled: 47, cancelled: 5, refunded: 1, pending: 2 });
const statusOld = weighted({ fulfilled: 86, paid: 2, cancelled: 6, refunded: 5, pending: 1 });
// orders by month: a busy end of year, a quiet January and summer
const monthWeight = [0.8, 0.85, 0.95, 1, 1, 0.9, 0.85, 0.9, 1, 1.05, 1.4, 1.6];
const emailPatterns = ['f.l', 'fl', 'f_l', 'fi.l', 'f.l.yy', 'l.f', 'fyy', 'f-l'] as const;
const emailPatternPick = new WeightedPicker(emailPatterns, [34, 14, 6, 8, 14, 6, 10, 8]);
const legalWords = new Set([
  'inc',
  'llc',
  'ltd',
  'plc',
  'gmbh',
  'ag',
  'kg',
  'co',
  'and',
  'und',
  'sa',
  'sl',
  'srl',
  'spa',
  'sas',
  'sarl',
  'bv',
  'nv',
  'ab',
  'as',
  'aps',
  'oy',
  'sp',
  'zoo',
  'group',
  'e',
  'et',
  'y',
  'kk',
]);

function cents(c: number): string {
  const whole = Math.floor(c / 100);
  const rest = c - whole * 100;
  return `${whole}.${rest < 10 ? '0' : ''}${rest}`;
}
function iso(ms: number): string {
  return new Date(ms).toISOString();
}
/** round(revenue / n, 2) as PostgreSQL rounds numerics: half away from zero. */
export function averageCents(revenueCents: number, n: number): number {
  return Math.floor((2 * revenueCents + n) / (2 * n));
}

interface CoreFacts {
  createdMs: number;
  buyer: boolean;
  windowEndMs: number;
  propensity: number;
}

export interface GenerationTotals {
  customers: number;
  emails: number;
  phones: number;
  addresses: number;
  events: number;
  orders: number;
  items: number;
}

export class WorldGenerator {
  private readonly rng = new Rng();
  private readonly asOfMs: number;
  private readonly startMs: number;
  private readonly salt: number;
  private rateScale = 0;
  private readonly usedEmails = new Set<string>();
  private readonly emailBaseCount = new Map<string, number>();
  private readonly companyDomainCache = new Map<Word, string>();
  private readonly ids: Record<'emails' | 'phones' | 'addresses' | 'events' | 'orders' | 'items', IdSequence>;
  private readonly times: Float64Array = new Float64Array(4096);
  private orderNumber = 100_000;
  readonly totals: GenerationTotals = {
    customers: 0,
    emails: 0,
    phones: 0,
    addresses: 0,
    events: 0,
    orders: 0,
    items: 0,
  };

  constructor(
    private readonly options: GeneratorOptions,
    private readonly pools: Pools,
    private readonly catalog: Catalog,
  ) {
    this.asOfMs = options.asOf.getTime();
    this.startMs = this.asOfMs - SPAN;
    this.salt = streamSeed(options.seed, 0, 99);
    const seq = (tag: number) => new IdSequence(this.asOfMs, tag, this.salt);
    this.ids = {
      emails: seq(tags.emails),
      phones: seq(tags.phones),
      addresses: seq(tags.addresses),
      events: seq(tags.events),
      orders: seq(tags.orders),
      items: seq(tags.items),
    };
  }

  static productId(seed: number, asOf: Date, index: number): string {
    return uuid7(asOf.getTime() - SPAN - 90 * DAY, index, tags.products, streamSeed(seed, 0, 99), index);
  }

  /**
   * A cheap pass over every customer's core facts, so the order rate can be scaled to hit the asked
   * average exactly in expectation (the active windows depend on sign-up dates and churn).
   */
  calibrate(): void {
    let exposure = 0;
    for (let i = 0; i < this.options.customers; i++) {
      const core = this.core(i);
      if (core.buyer) exposure += (core.windowEndMs - core.createdMs) / DAY;
    }
    const wanted = this.options.ordersPerCustomerAvg * this.options.customers;
    this.rateScale = exposure > 0 ? wanted / exposure : 0;
  }

  private core(i: number): CoreFacts {
    const r = this.rng.reseed(streamSeed(this.options.seed, i, streams.core));
    // sign-ups grow over time: density ∝ e^(g x) on [0, 1]; quantile at (i + u) / n keeps them sorted
    const g = 1.1;
    const p = (i + r.next()) / this.options.customers;
    const x = Math.log(1 + p * (Math.exp(g) - 1)) / g;
    const createdMs = Math.floor(this.startMs + x * (SPAN - DAY));
    const buyer = r.chance(BUYER_SHARE);
    const lifespan = r.exponential(900 * DAY);
    const windowEndMs = Math.min(this.asOfMs - 60_000, createdMs + Math.max(DAY, lifespan));
    // Gamma(k)/k has mean 1 and a long tail: many occasional buyers, a few with dozens of orders
    const propensity = r.gamma(PROPENSITY_SHAPE) / PROPENSITY_SHAPE;
    return { createdMs, buyer, windowEndMs, propensity };
  }

  /** Generates customer i and everything that belongs to it into the sinks. */
  customer(i: number, sinks: Sinks): void {
    const core = this.core(i);
    const customerId = uuid7(core.createdMs, i & 4095, tags.customers, this.salt, i);
    const r = this.rng.reseed(streamSeed(this.options.seed, i, streams.orders));

    // ---- orders and items -------------------------------------------------------------------
    const windowDays = (core.windowEndMs - core.createdMs) / DAY;
    const lambda = core.buyer ? core.propensity * this.rateScale * windowDays : 0;
    const count = Math.min(r.poisson(lambda), 4000);
    let kept = 0;
    let revenue = 0;
    let firstKept = 0;
    let lastKept = 0;
    let lastAny = 0;
    if (count > 0) {
      const times = this.orderTimes(r, core, count);
      const favourite = this.catalog.category.pick(r);
      const picked: Product[] = [];
      for (let k = 0; k < count; k++) {
        const placed = times[k] as number;
        const orderId = this.ids.orders.next();
        const lines = itemCounts.pick(r);
        picked.length = 0;
        let total = 0;
        let units = 0;
        for (let l = 0; l < lines; l++) {
          let product = r.chance(0.55)
            ? (this.catalog.byCategory[favourite] as WeightedPicker<Product>).pick(r)
            : this.catalog.any.pick(r);
          if (picked.includes(product)) product = this.catalog.any.pick(r);
          if (picked.includes(product)) continue;
          picked.push(product);
          const qty = quantities.pick(r);
          const line = qty * product.priceCents;
          total += line;
          units += qty;
          sinks.items.write(
            `${this.ids.items.next()}\t${orderId}\t${product.id}\t${product.sku}\t${product.name}\t${product.category}\t${qty}\t${cents(product.priceCents)}\t${cents(line)}\n`,
          );
        }
        this.totals.items += picked.length;
        const ageDays = (this.asOfMs - placed) / DAY;
        const status = (ageDays < 2 ? statusFresh : ageDays < 10 ? statusRecent : statusOld).pick(r);
        // the last change: fulfilment or a refund some days later, never after "now"
        const updated =
          status === 'pending' || status === 'paid'
            ? placed
            : Math.min(
                this.asOfMs - 1000,
                placed + Math.floor(r.exponential(status === 'refunded' ? 12 : 2) * DAY),
              );
        const placedIso = iso(placed);
        sinks.orders.write(
          `${orderId}\t${customerId}\tSO-${this.orderNumber++}\t${status}\tUSD\t${cents(total)}\t${units}\t${placedIso}\t${placedIso}\t${updated === placed ? placedIso : iso(updated)}\n`,
        );
        if (status === 'paid' || status === 'fulfilled') {
          kept++;
          revenue += total;
          if (firstKept === 0) firstKept = placed;
          lastKept = placed;
        }
        lastAny = Math.max(lastAny, updated);
      }
      this.totals.orders += count;
    }

    // ---- profile and contacts ---------------------------------------------------------------
    const p = this.rng.reseed(streamSeed(this.options.seed, i, streams.profile));
    const home = this.pools.country.pick(p);
    // one in seven lives abroad: a Swedish name in Germany, a Brazilian name in the US, ...
    const origin = p.chance(0.14) ? this.pools.country.pick(p) : home;
    const female = p.chance(0.5);
    const first = p.pick(female ? origin.female : origin.male);
    const last1 = p.pick(origin.last);
    const last2 = origin.doubleSurname > 0 && p.chance(origin.doubleSurname) ? p.pick(origin.last) : null;
    const lastTsv = last2 && last2 !== last1 ? `${last1.tsv} ${last2.tsv}` : last1.tsv;
    const lastNorm = last2 && last2 !== last1 ? `${last1.norm} ${last2.norm}` : last1.norm;
    const company = p.chance(0.4) ? p.pick(home.companies) : null;
    const source = core.buyer || p.chance(0.5) ? sources.pick(p) : p.chance(0.5) ? 'newsletter' : 'signup';
    const createdIso = iso(core.createdMs);

    const emails: string[] = [];
    const primaryEmail = this.email(p, first, last1, home, company && p.chance(0.3) ? company : null);
    emails.push(primaryEmail);
    this.writeEmail(sinks, customerId, primaryEmail, company ? 'work' : 'personal', true, createdIso);
    if (p.chance(0.2)) {
      const second = this.email(
        p,
        first,
        last1,
        home,
        company && !primaryEmail.endsWith(this.companyDomain(company, home)) ? company : null,
      );
      if (second !== primaryEmail) {
        emails.push(second);
        const at = iso(Math.min(this.asOfMs - 1000, core.createdMs + Math.floor(p.exponential(120) * DAY)));
        this.writeEmail(sinks, customerId, second, company ? 'personal' : 'other', false, at);
      }
    }

    const phones: string[] = [];
    if (p.chance(0.86)) phones.push(this.phone(p, home));
    if (phones.length > 0 && p.chance(0.12)) phones.push(this.phone(p, home));
    phones.forEach((phone, k) => {
      sinks.phones.write(
        `${this.ids.phones.next()}\t${customerId}\t${phone}\t${k === 0 ? 'mobile' : p.chance(0.5) ? 'work' : 'home'}\t${k === 0 ? 't' : 'f'}\t${createdIso}\n`,
      );
    });
    this.totals.phones += phones.length;

    let country: string | null = null;
    if (p.chance(0.92)) {
      country = home.code;
      this.writeAddress(sinks, p, customerId, home, 'shipping', true, createdIso);
      if (p.chance(0.1)) this.writeAddress(sinks, p, customerId, home, 'billing', false, createdIso);
    }

    // ---- lifecycle, consistent with the orders ------------------------------------------------
    let stage: string;
    let status: string;
    let customerValue = 0;
    if (kept === 0) {
      stage = 'lead';
      status = this.asOfMs - core.createdMs > YEAR && p.chance(0.35) ? 'inactive' : 'prospect';
    } else {
      const sinceLast = (this.asOfMs - lastKept) / DAY;
      if (sinceLast <= 120) {
        stage = kept >= 8 ? 'loyal' : 'customer';
        status = 'active';
      } else if (sinceLast <= 300) {
        stage = 'at_risk';
        status = p.chance(0.7) ? 'active' : 'inactive';
      } else {
        stage = 'lost';
        status = p.chance(0.75) ? 'churned' : 'inactive';
      }
      // predicted value: purchase rate x average order x two years, discounted by time since last order
      const years = Math.max(0.25, (lastKept - firstKept) / YEAR + 0.25);
      const aov = averageCents(revenue, kept);
      customerValue = Math.round(aov * (kept / years) * 2 * Math.exp(-sinceLast / 200));
    }
    const contact = contactMethods.pick(p);
    const preferred = phones.length === 0 ? 'email' : contact;
    const marketing = p.chance(0.62);
    const prefs = p.chance(0.03)
      ? '{"do_not_contact": true}'
      : `{"email": {"marketing": ${marketing}, "transactional": true}, "sms": {"marketing": ${marketing && p.chance(0.4)}}}`;

    // search_text exactly as crm_refresh_customer_search builds it (emails primary first)
    let search = `${first.norm} ${lastNorm}`;
    if (company) search += ` ${company.norm}`;
    for (const e of emails) search += ` ${e}`;
    for (const ph of phones) search += ` ${ph} ${ph.replace(/[^0-9]/g, '')}`;

    const updatedMs = Math.max(core.createdMs, lastAny);
    sinks.customers.write(
      `${customerId}\t${first.tsv}\t${lastTsv}\t${company ? company.tsv : N}\t${primaryEmail}\t${phones[0] ?? N}\t${createdIso}\t${source}\t${preferred}\t${prefs}\t${search}\t${createdIso}\t${iso(updatedMs)}\n`,
    );

    sinks.metrics.write(
      `${customerId}\t${kept}\t${cents(revenue)}\t${kept > 0 ? cents(averageCents(revenue, kept)) : '0.00'}\t${kept > 0 ? iso(firstKept) : N}\t${kept > 0 ? iso(lastKept) : N}\t${cents(customerValue)}\t${status}\t${stage}\t${country ?? N}\n`,
    );

    const kind = source === 'signup' ? 'signed_up' : p.chance(0.3) ? 'imported' : 'customer_created';
    const summary =
      kind === 'signed_up'
        ? 'Signed up on the platform'
        : kind === 'imported'
          ? 'Imported from CSV'
          : 'Customer created';
    sinks.events.write(
      `${this.ids.events.next()}\t${customerId}\t${kind}\t${createdIso}\t${summary}\t{"source": "${source}"}\n`,
    );
    this.totals.events++;
    this.totals.customers++;
  }

  /** Sorted order times: a first order soon after sign-up, the rest spread over the active window. */
  private orderTimes(r: Rng, core: CoreFacts, count: number): Float64Array {
    const times = count <= this.times.length ? this.times.subarray(0, count) : new Float64Array(count);
    const first = Math.min(core.windowEndMs, core.createdMs + Math.floor(r.exponential(4 * DAY)));
    times[0] = first;
    const span = core.windowEndMs - first;
    for (let k = 1; k < count; k++) {
      let t: number;
      do {
        t = first + Math.floor(r.next() * span);
      } while (r.next() * 1.6 > (monthWeight[new Date(t).getUTCMonth()] as number));
      times[k] = t;
    }
    times.sort();
    return times;
  }

  private companyDomain(company: Word, home: CountryPool): string {
    let domain = this.companyDomainCache.get(company);
    if (!domain) {
      const words = company.raw
        .split(/[^\p{L}\p{N}]+/u)
        .map((w) => w.toLowerCase())
        .filter((w) => w && !legalWords.has(w))
        .slice(0, 2);
      const base = words.map((w) => w.normalize('NFD').replace(/[^a-z0-9]/g, '')).join('-') || company.slug;
      domain = `${base}.${home.def.companyDomain}`;
      this.companyDomainCache.set(company, domain);
    }
    return domain;
  }

  /** A unique, plausible address: "maria.garcia@gmail.com", "maria.garcia7@gmail.com", ... */
  private email(p: Rng, first: Word, last: Word, home: CountryPool, company: Word | null): string {
    const f = first.slug || 'customer';
    const l = last.slug || 'x';
    const yy = String(p.int(60, 105) % 100).padStart(2, '0');
    let local: string;
    switch (emailPatternPick.pick(p)) {
      case 'f.l':
        local = `${f}.${l}`;
        break;
      case 'fl':
        local = `${f}${l}`;
        break;
      case 'f_l':
        local = `${f}_${l}`;
        break;
      case 'fi.l':
        local = `${f[0]}.${l}`;
        break;
      case 'f.l.yy':
        local = `${f}.${l}${yy}`;
        break;
      case 'l.f':
        local = `${l}.${f}`;
        break;
      case 'fyy':
        local = `${f}${yy}`;
        break;
      default:
        local = `${f}-${l}`;
    }
    let domain: string;
    if (company) domain = this.companyDomain(company, home);
    else if (p.chance(0.45)) domain = 'gmail.com';
    else domain = p.pick(home.def.emailDomains);
    const base = `${local}@${domain}`;
    let candidate = base;
    let n = this.emailBaseCount.get(base) ?? 0;
    while (this.usedEmails.has(candidate)) {
      n++;
      candidate = `${local}${/\d$/.test(local) ? '.' : ''}${n + 1}@${domain}`;
    }
    this.emailBaseCount.set(base, n);
    this.usedEmails.add(candidate);
    return candidate;
  }

  private writeEmail(
    sinks: Sinks,
    customerId: string,
    email: string,
    label: string,
    primary: boolean,
    at: string,
  ): void {
    sinks.emails.write(
      `${this.ids.emails.next()}\t${customerId}\t${email}\t${label}\t${primary ? 't' : 'f'}\t${at}\n`,
    );
    this.totals.emails++;
  }

  private phone(p: Rng, home: CountryPool): string {
    const format = p.pick(home.def.phones);
    let out = '';
    for (let k = 0; k < format.length; k++) {
      const ch = format[k];
      out +=
        ch === '#'
          ? String(Math.floor(p.next() * 10))
          : ch === 'N'
            ? String(2 + Math.floor(p.next() * 8))
            : ch;
    }
    return out;
  }

  private writeAddress(
    sinks: Sinks,
    p: Rng,
    customerId: string,
    home: CountryPool,
    label: string,
    primary: boolean,
    at: string,
  ): void {
    const street = p.pick(home.streets);
    const number = p.chance(0.8) ? p.int(1, 120) : p.int(121, 2400);
    let line1: string;
    if (home.code === 'JP') line1 = `${p.int(1, 5)}-${p.int(1, 30)}-${p.int(1, 20)} ${street.tsv}`;
    else if (home.def.street === 'number-first') line1 = `${number} ${street.tsv}`;
    else line1 = `${street.tsv} ${number}${home.code === 'DE' && p.chance(0.1) ? 'a' : ''}`;
    const line2 = p.chance(0.14) ? fill(p, p.pick(home.line2)) : N;
    const city = p.pick(home.cities);
    const postcode = fill(p, p.pick(home.def.postcode));
    sinks.addresses.write(
      `${this.ids.addresses.next()}\t${customerId}\t${label}\t${line1}\t${line2}\t${city.city.tsv}\t${city.region.tsv}\t${postcode}\t${home.code}\t${primary ? 't' : 'f'}\t${at}\n`,
    );
    this.totals.addresses++;
  }
}

const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
/** `#` -> digit, `?` -> capital letter. */
function fill(p: Rng, pattern: string): string {
  let out = '';
  for (let k = 0; k < pattern.length; k++) {
    const ch = pattern[k];
    out +=
      ch === '#' ? String(Math.floor(p.next() * 10)) : ch === '?' ? LETTERS[Math.floor(p.next() * 23)] : ch;
  }
  return out;
}

export const columns = {
  customers: [
    'id',
    'first_name',
    'last_name',
    'company',
    'email',
    'phone',
    'acquisition_date',
    'acquisition_source',
    'preferred_contact_method',
    'communication_preferences',
    'search_text',
    'created_at',
    'updated_at',
  ],
  metrics: [
    'customer_id',
    'total_orders',
    'lifetime_value',
    'average_order_value',
    'first_order_date',
    'last_order_date',
    'customer_value',
    'customer_status',
    'lifecycle_stage',
    'country',
  ],
  emails: ['id', 'customer_id', 'email', 'label', 'is_primary', 'created_at'],
  phones: ['id', 'customer_id', 'phone', 'label', 'is_primary', 'created_at'],
  addresses: [
    'id',
    'customer_id',
    'label',
    'line1',
    'line2',
    'city',
    'region',
    'postal_code',
    'country',
    'is_primary',
    'created_at',
  ],
  events: ['id', 'customer_id', 'kind', 'occurred_at', 'summary', 'data'],
  orders: [
    'id',
    'customer_id',
    'external_id',
    'status',
    'currency',
    'total',
    'item_count',
    'placed_at',
    'created_at',
    'updated_at',
  ],
  items: ['id', 'order_id', 'product_id', 'sku', 'name', 'category', 'quantity', 'unit_price', 'line_total'],
} as const;

export const tables: Record<keyof Sinks, string> = {
  customers: 'customers',
  metrics: 'customer_metrics',
  emails: 'customer_emails',
  phones: 'customer_phones',
  addresses: 'customer_addresses',
  events: 'customer_events',
  orders: 'orders',
  items: 'order_items',
};
