-- The demo's database: orders, and an inventory the handler keeps.
CREATE TABLE IF NOT EXISTS tb_order (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer   text        NOT NULL,
  status     text        NOT NULL DEFAULT 'open',
  total      numeric(12, 2) NOT NULL,
  items      jsonb       NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now()
);

-- What GraphQL reads (schema.graphql: @view) and calls (@function). A function takes
-- the mutation's arguments as one jsonb and returns the row it wrote.
CREATE OR REPLACE VIEW v_order AS
  SELECT id, customer, status, total, items, created_at FROM tb_order ORDER BY created_at, id;

CREATE OR REPLACE FUNCTION fn_create_order(input jsonb) RETURNS tb_order
LANGUAGE sql AS $$
  INSERT INTO tb_order (customer, total, items)
  VALUES (input->>'customer', (input->>'total')::numeric, coalesce(input->'items', '[]'))
  RETURNING *
$$;

CREATE OR REPLACE FUNCTION fn_pay_order(input jsonb) RETURNS tb_order
LANGUAGE plpgsql AS $$
DECLARE
  paid tb_order;
BEGIN
  UPDATE tb_order SET status = 'paid' WHERE id = (input->>'id')::uuid RETURNING * INTO paid;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no order %', input->>'id';
  END IF;
  RETURN paid;
END
$$;
