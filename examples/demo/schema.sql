-- The demo's database: orders, and an inventory the handler keeps.
CREATE TABLE IF NOT EXISTS tb_order (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer   text        NOT NULL,
  status     text        NOT NULL DEFAULT 'open',
  total      numeric(12, 2) NOT NULL,
  items      jsonb       NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now()
);
