-- Exact counts for the customer list's usual filters: status, lifecycle stage and country.
-- The list answers with `total`; at 1,000,000 customers the count for "active, customer or loyal,
-- in the US" went through a bitmap of every US customer and read ~30,000 heap pages (250-380 ms,
-- measured by `npm run bench -- --explain`). With the three columns in one index it is an
-- index-only scan: 3-8 ms, and any prefix (status; status + stage) counts from it too. Small
-- (~7 MB at 1M rows: three low-cardinality columns deduplicate well). See docs/benchmarks.md.
CREATE INDEX IF NOT EXISTS customers_status_stage_country_idx
  ON customers (customer_status, lifecycle_stage, country);
