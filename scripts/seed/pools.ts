import * as fakerLocales from '@faker-js/faker';
import type { Faker } from '@faker-js/faker';
import { type CountryDef, countries, japaneseNames } from './countries.js';
import { type Rng, WeightedPicker } from './random.js';

/**
 * Word pools, built once per run from faker's locale lists (faker per row is far too slow for
 * millions of rows). Each word carries the forms the generator needs: COPY-escaped text, an ASCII
 * slug for email addresses, and its search form (filled from the database's own crm_normalize).
 */
export interface Word {
  raw: string;
  /** Escaped for COPY's text format. */
  tsv: string;
  /** Lower-case ASCII letters and digits, for email local parts and domains. */
  slug: string;
  /** crm_normalize(raw), set by `normalizeWords`. */
  norm: string;
}

export interface CountryPool {
  def: CountryDef;
  code: string;
  female: Word[];
  male: Word[];
  last: Word[];
  /** Share of people with two surnames (Spanish and Portuguese naming). */
  doubleSurname: number;
  streets: Word[];
  companies: Word[];
  cities: { city: Word; region: Word }[];
  line2: string[];
}

export interface Pools {
  countries: CountryPool[];
  country: WeightedPicker<CountryPool>;
  /** Every word, for the one normalisation query. */
  words: Word[];
}

/** Escapes a value for COPY ... (FORMAT text). */
export function tsvEscape(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (ch) =>
        ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r',
      )
    : value;
}

const specialFolds: Record<string, string> = {
  ß: 'ss',
  ø: 'o',
  Ø: 'O',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ı: 'i',
  þ: 'th',
};

/** "Jürgen Ødegård" -> "jurgenodegard": for addresses, never for search (that is the database's). */
export function slugify(value: string): string {
  return value
    .replace(/[ßøØæÆœŒłŁđĐıþ]/g, (ch) => specialFolds[ch] ?? ch)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

function makeWord(raw: string): Word {
  return { raw, tsv: tsvEscape(raw), slug: slugify(raw), norm: '' };
}

function uniqueWords(values: Iterable<string>, limit: number): Word[] {
  const seen = new Set<string>();
  for (const v of values) {
    const t = v.trim();
    if (t && !seen.has(t) && slugify(t).length > 0) seen.add(t);
    if (seen.size >= limit) break;
  }
  return [...seen].map(makeWord);
}

function* repeat(n: number, make: () => string): Generator<string> {
  for (let i = 0; i < n; i++) yield make();
}

const line2ByLocale: Record<string, string[]> = {
  'number-first': ['Apt #', 'Apt ##', 'Suite ###', 'Unit #', 'Flat #', 'Floor #'],
  'street-first': ['#. OG', 'Apt. ##', 'Piso #', 'Bus #', 'Bloco #', 'Étage #'],
};

/** Builds every pool from faker seeded by `seed`; deterministic for a given faker version. */
export function buildPools(seed: number, rng: Rng): Pools {
  const all: Word[] = [];
  const track = (words: Word[]) => {
    all.push(...words);
    return words;
  };
  const pools = countries.map((def): CountryPool => {
    let female: Word[];
    let male: Word[];
    let last: Word[];
    let streets: Word[];
    let companies: Word[];
    if (def.locale === 'japan') {
      female = japaneseNames.female.map(makeWord);
      male = japaneseNames.male.map(makeWord);
      last = japaneseNames.last.map(makeWord);
      streets = japaneseNames.streets.map(makeWord);
      companies = japaneseNames.companies.map(makeWord);
    } else {
      const f = (fakerLocales as unknown as Record<string, Faker>)[def.locale];
      if (!f) throw new Error(`faker locale ${def.locale} is missing`);
      f.seed(seed);
      female = uniqueWords(
        repeat(1500, () => f.person.firstName('female')),
        250,
      );
      male = uniqueWords(
        repeat(1500, () => f.person.firstName('male')),
        250,
      );
      last = uniqueWords(
        repeat(3000, () => f.person.lastName()),
        400,
      );
      streets = uniqueWords(
        repeat(600, () => f.location.street()),
        300,
      );
      companies = uniqueWords(
        repeat(600, () => f.company.name()),
        300,
      );
    }
    return {
      def,
      code: def.code,
      female: track(female),
      male: track(male),
      last: track(last),
      // faker's Spanish surnames are already double ("Botello Arroyo"); Brazilian ones are not
      doubleSurname: def.code === 'BR' ? 0.35 : 0,
      streets: track(streets),
      companies: track(companies),
      cities: def.cities.map(([city, region]) => ({ city: makeWord(city), region: makeWord(region) })),
      line2: line2ByLocale[def.street] ?? [],
    };
  });
  // touch the rng so the pools' consumption is part of the seeded sequence
  rng.next();
  return {
    countries: pools,
    country: new WeightedPicker(
      pools,
      pools.map((p) => p.def.weight),
    ),
    words: all,
  };
}

/** Fills `norm` of every word with the database's crm_normalize, so search_text matches exactly. */
export async function normalizeWords(
  words: Word[],
  normalize: (values: string[]) => Promise<string[]>,
): Promise<void> {
  const distinct = [...new Set(words.map((w) => w.raw))];
  const normalized = await normalize(distinct);
  const map = new Map(distinct.map((raw, i) => [raw, normalized[i] ?? raw.toLowerCase()]));
  for (const w of words) w.norm = map.get(w.raw) ?? w.raw.toLowerCase();
}
