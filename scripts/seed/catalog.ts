import { type Rng, WeightedPicker } from './random.js';

/**
 * The shop's catalogue: ~200 products in 12 categories, with lognormal prices around a median per
 * category and Zipf-like popularity, so "bought together" and "favourite category" analyses have
 * something to find.
 */
interface CategoryDef {
  name: string;
  sku: string;
  /** Median price in cents. */
  median: number;
  /** Relative share of items sold. */
  weight: number;
  items: string[];
  variants: string[];
}

const categories: CategoryDef[] = [
  {
    name: 'Coffee',
    sku: 'COF',
    median: 1600,
    weight: 16,
    items: [
      'Ethiopia Yirgacheffe',
      'Colombia Huila',
      'House Espresso',
      'Decaf Swiss Water',
      'Kenya AA',
      'Guatemala Antigua',
    ],
    variants: ['250 g whole bean', '1 kg whole bean', '250 g ground'],
  },
  {
    name: 'Tea',
    sku: 'TEA',
    median: 1100,
    weight: 8,
    items: [
      'Sencha',
      'Earl Grey',
      'Darjeeling First Flush',
      'Rooibos Vanilla',
      'Matcha',
      'Chamomile Blossom',
    ],
    variants: ['loose leaf 100 g', 'tea bags (20)', 'tin 250 g'],
  },
  {
    name: 'Kitchen',
    sku: 'KIT',
    median: 3500,
    weight: 9,
    items: ['Pour-over Dripper', 'Burr Grinder', 'French Press', 'Chef Knife', 'Cast Iron Skillet'],
    variants: ['small', 'large', 'stainless'],
  },
  {
    name: 'Home',
    sku: 'HOM',
    median: 4200,
    weight: 7,
    items: ['Linen Throw', 'Ceramic Vase', 'Scented Candle', 'Wool Rug', 'Table Lamp', 'Cotton Towel Set'],
    variants: ['natural', 'charcoal', 'sand'],
  },
  {
    name: 'Apparel',
    sku: 'APP',
    median: 3900,
    weight: 11,
    items: ['Organic Cotton Tee', 'Merino Sweater', 'Rain Jacket', 'Chino Trousers', 'Hoodie'],
    variants: ['S', 'M', 'L', 'XL'],
  },
  {
    name: 'Footwear',
    sku: 'FTW',
    median: 8900,
    weight: 5,
    items: ['Trail Runner', 'Leather Boot', 'Canvas Sneaker', 'Slipper'],
    variants: ['EU 40', 'EU 42', 'EU 44'],
  },
  {
    name: 'Beauty',
    sku: 'BEA',
    median: 2400,
    weight: 8,
    items: ['Face Serum', 'Hand Cream', 'Shampoo Bar', 'Lip Balm', 'Body Oil', 'Sunscreen SPF 50'],
    variants: ['30 ml', '100 ml', 'travel size'],
  },
  {
    name: 'Electronics',
    sku: 'ELE',
    median: 7900,
    weight: 6,
    items: [
      'Wireless Earbuds',
      'Smart Scale',
      'USB-C Charger',
      'Bluetooth Speaker',
      'E-reader Case',
      'Desk Lamp LED',
    ],
    variants: ['black', 'white', 'graphite'],
  },
  {
    name: 'Books',
    sku: 'BOK',
    median: 1900,
    weight: 7,
    items: ['Brewing at Home', 'The Tea Atlas', 'Slow Kitchen', 'Field Guide to Birds', 'Weekend Hikes'],
    variants: ['paperback', 'hardcover', 'e-book'],
  },
  {
    name: 'Outdoor',
    sku: 'OUT',
    median: 5500,
    weight: 6,
    items: [
      'Insulated Bottle',
      'Daypack 20 L',
      'Camping Mug',
      'Headlamp',
      'Picnic Blanket',
      'Trekking Poles',
    ],
    variants: ['forest', 'slate', 'ochre'],
  },
  {
    name: 'Toys',
    sku: 'TOY',
    median: 2900,
    weight: 5,
    items: ['Wooden Blocks', 'Puzzle 1000 pcs', 'Plush Bear', 'Kite', 'Card Game'],
    variants: ['classic', 'deluxe', 'mini'],
  },
  {
    name: 'Pet Supplies',
    sku: 'PET',
    median: 2200,
    weight: 6,
    items: ['Dog Treats', 'Cat Scratcher', 'Leash', 'Pet Bed', 'Grain-free Kibble 2 kg'],
    variants: ['small', 'medium', 'large'],
  },
];

export interface Product {
  index: number;
  id: string;
  sku: string;
  name: string;
  category: string;
  categoryIndex: number;
  priceCents: number;
}

export interface Catalog {
  products: Product[];
  categoryNames: string[];
  /** Picks a category by overall sales share (a customer's favourite). */
  category: WeightedPicker<number>;
  /** Per category, picks a product by popularity. */
  byCategory: WeightedPicker<Product>[];
  /** Picks any product by popularity. */
  any: WeightedPicker<Product>;
}

/** Deterministic: the catalogue depends only on the seed. */
export function buildCatalog(rng: Rng, makeId: (index: number) => string): Catalog {
  const products: Product[] = [];
  const byCategory: WeightedPicker<Product>[] = [];
  const popularity: number[] = [];
  categories.forEach((cat, ci) => {
    const own: Product[] = [];
    const ownWeights: number[] = [];
    let n = 0;
    for (const item of cat.items) {
      const base = rng.lognormal(cat.median, 0.45);
      for (const variant of cat.variants) {
        n++;
        const variantFactor = 1 + 0.35 * cat.variants.indexOf(variant) * (rng.next() - 0.2);
        // prices end in .99 or .49, as shops price them
        const dollars = Math.max(1, Math.floor((base * variantFactor) / 100));
        const cents = dollars * 100 + (rng.chance(0.7) ? 99 : 49);
        const product: Product = {
          index: products.length,
          id: makeId(products.length),
          sku: `${cat.sku}-${String(n).padStart(4, '0')}`,
          name: `${item}, ${variant}`,
          category: cat.name,
          categoryIndex: ci,
          priceCents: cents,
        };
        products.push(product);
        own.push(product);
        // Zipf-like within the category, shuffled so the first item is not always the best seller
        ownWeights.push(1 / (1 + Math.floor(rng.next() * own.length * 2)));
      }
    }
    byCategory.push(new WeightedPicker(own, ownWeights));
    const total = ownWeights.reduce((a, b) => a + b, 0);
    for (const w of ownWeights) popularity.push((w / total) * cat.weight);
  });
  return {
    products,
    categoryNames: categories.map((c) => c.name),
    category: new WeightedPicker(
      categories.map((_, i) => i),
      categories.map((c) => c.weight),
    ),
    byCategory,
    any: new WeightedPicker(products, popularity),
  };
}
