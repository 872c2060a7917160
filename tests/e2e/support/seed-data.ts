import type { Customer, CustomerCreate } from '../../../src/shared/customers.js';
import { customerStatuses, lifecycleStages } from '../../../src/shared/enums.js';
import type { ApiClient } from './api.js';

const firstNames = [
  'Ada',
  'Bruno',
  'Chloé',
  'Dmitri',
  'Elena',
  'Farah',
  'Gustav',
  'Hana',
  'Ivan',
  'Jules',
  'Kenji',
  'Lena',
  'Mateo',
  'Nadia',
  'Oskar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tomás',
  'Uma',
  'Viktor',
  'Wen',
  'Yusuf',
];
const lastNames = [
  'Almeida',
  'Brennan',
  'Castillo',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hoffmann',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Laurent',
  'Müller',
  'Novak',
  'Olsen',
  'Petrov',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Varga',
];
const companies = ['Acme Corp', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries', null, null];
const sources = ['google_ads', 'referral', 'newsletter', 'organic', 'partner'];
const countries = ['US', 'DE', 'FR', 'GB', 'SE', 'JP', 'BR'];
const products = [
  { sku: 'TSHIRT-01', name: 'Organic cotton T-shirt', category: 'apparel', unit_price: 24 },
  { sku: 'MUG-02', name: 'Stoneware mug', category: 'home', unit_price: 14.5 },
  { sku: 'BAG-03', name: 'Canvas tote bag', category: 'accessories', unit_price: 19.9 },
  { sku: 'LAMP-04', name: 'Desk lamp', category: 'home', unit_price: 59 },
  { sku: 'BOOK-05', name: 'Field notebook', category: 'stationery', unit_price: 9.75 },
  { sku: 'HOOD-06', name: 'Zip hoodie', category: 'apparel', unit_price: 64 },
];

/** Deterministic pseudo-random numbers so screenshots and tests see the same data every run. */
function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

export async function createOrder(
  api: ApiClient,
  customerId: string,
  items: { sku: string; name: string; category: string; quantity: number; unit_price: number }[],
  placedAt?: string,
) {
  return api.post('/orders', { customer_id: customerId, items, placed_at: placedAt });
}

/** Creates `count` varied customers, most with a few orders. */
export async function seedCustomers(api: ApiClient, count: number, seed = 42): Promise<Customer[]> {
  const random = rng(seed);
  const created: Customer[] = [];
  for (let i = 0; i < count; i += 1) {
    const first = pick(random, firstNames);
    const last = pick(random, lastNames);
    const body: CustomerCreate = {
      first_name: first,
      last_name: last,
      company: pick(random, companies),
      email: `${first}.${last}.${i}@example.com`
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase(),
      phone: `+1 555 ${String(1000 + i).padStart(4, '0')}`,
      customer_status: pick(random, customerStatuses),
      lifecycle_stage: pick(random, lifecycleStages),
      acquisition_source: pick(random, sources),
      addresses: [
        {
          line1: `${10 + i} Market Street`,
          city: 'Springfield',
          country: pick(random, countries),
          is_primary: true,
        },
      ],
    };
    const customer = await api.post<Customer>('/crm/customers', body);
    created.push(customer);
    const orders = Math.floor(random() * 4);
    for (let o = 0; o < orders; o += 1) {
      const lines = 1 + Math.floor(random() * 3);
      const items = Array.from({ length: lines }, () => {
        const product = pick(random, products);
        return { ...product, quantity: 1 + Math.floor(random() * 3) };
      });
      const daysAgo = Math.floor(random() * 400);
      await createOrder(api, customer.id, items, new Date(Date.now() - daysAgo * 86_400_000).toISOString());
    }
  }
  return created;
}
