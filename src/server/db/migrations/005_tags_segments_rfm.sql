-- Segmentation and tagging (issue 3): tags and their customers, segments (manual members or an
-- automatic criteria tree). RFM scores live in their own table (006).

CREATE TABLE tags (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  color text NOT NULL DEFAULT '#868e96' CHECK (color ~ '^#[0-9a-fA-F]{6}$'),
  description text,
  created_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tags_name_key ON tags (lower(name));

CREATE TABLE customer_tags (
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  tag_id uuid NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
  tagged_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
  tagged_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, tag_id)
);
-- "customers with tag X" (criteria, bulk removal) reads by tag
CREATE INDEX customer_tags_tag_idx ON customer_tags (tag_id, customer_id);

CREATE TABLE segments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  description text,
  criteria jsonb,
  auto_update boolean NOT NULL DEFAULT false,
  customer_count integer NOT NULL DEFAULT 0,
  created_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX segments_name_key ON segments (lower(name));

CREATE TABLE segment_members (
  segment_id uuid NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (segment_id, customer_id)
);
CREATE INDEX segment_members_customer_idx ON segment_members (customer_id, segment_id);
