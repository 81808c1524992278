-- place_order: checkout in one statement. The one source of this function: a change to it is a new
-- migration that copies this file's statement as it is (a test compares this file with the latest
-- migration that defines the function, so the two cannot drift apart), and OrderService parses its
-- answer with the schema in src/services/place-order.ts.
--
-- Why a function: a checkout is one round trip instead of a five-statement interactive
-- transaction. The rules are OrderService.place's (see there):
-- p_lines: the cart's lines in cart order, one per product:
--   [{"id": <order line id>, "productId", "qty", "name", "mrp": "12.50", "salePrice": "10.00"}]
-- p_max_open: how many PENDING orders the customer may hold in this store (OPEN_ORDERS_PER_CUSTOMER).
-- p_status: PENDING for a checkout; ACCEPTED for an order the shopkeeper takes at the counter.
-- p_actor: who places it, for the order's history: {"role": "customer"} or
--   {"role": "owner" | "staff", "id": <account id>, "mobile": <its mobile>}.
-- Returns {"refused": <problem type>, ...} with nothing written (store-closed, too-many-open-orders,
-- product-unavailable, prices-changed, out-of-stock), or {"order": ..., "lines": [...],
-- "history": [...], "limited": <stock was taken>}.
-- A second checkout of the same cart, or with the same idempotency key, fails with a unique
-- violation (23505) of orders_cart_id_key or orders_customer_id_idempotency_key_key.
CREATE OR REPLACE FUNCTION place_order(
  p_order_id UUID,
  p_store_id UUID,
  p_customer_id UUID,
  p_cart_id UUID,
  p_idempotency_key VARCHAR(255),
  p_address JSONB,
  p_lines JSONB,
  p_max_open INTEGER,
  p_status "OrderStatus",
  p_actor JSONB
) RETURNS JSONB
LANGUAGE plpgsql
AS $$
DECLARE
  v_order orders%ROWTYPE;
  v_refusal JSONB;
  v_limited INTEGER;
  v_taken INTEGER;
  v_store_closed TIMESTAMPTZ;
  v_event_id UUID := gen_random_uuid();
  -- The products of the lines. Every statement below that joins the lines to products also
  -- filters by these ids, so it reads them through the primary key: without that, the planner
  -- (which guesses 100 rows for a jsonb_array_elements) scans every product of every store.
  v_ids UUID[] := ARRAY(SELECT (l->>'productId')::UUID FROM jsonb_array_elements(p_lines) l);
BEGIN
  -- The order row first: a concurrent duplicate waits on the unique index for this transaction,
  -- then fails, so one cart or one key can never become two orders.
  INSERT INTO orders (id, store_id, customer_id, cart_id, idempotency_key, address, status, updated_at)
  VALUES (p_order_id, p_store_id, p_customer_id, p_cart_id, p_idempotency_key, p_address, p_status, now())
  RETURNING * INTO v_order;

  -- A closed store (its owner deleted the account) takes no order. The insert above holds the
  -- store row (its foreign key's KEY SHARE lock) until commit, so the deletion, which locks the
  -- row FOR UPDATE before it counts open orders, either waits for this order and sees it (409),
  -- or committed first and this statement, with a new snapshot, sees the store closed.
  SELECT s.closed_at INTO v_store_closed FROM stores s WHERE s.id = p_store_id;
  IF v_store_closed IS NOT NULL THEN
    DELETE FROM orders WHERE id = p_order_id;
    RETURN jsonb_build_object('refused', 'store-closed');
  END IF;

  -- Stock hoarding: at most p_max_open PENDING orders per customer and store. The lock makes one
  -- customer's checkouts at one store take turns here (until commit), so racing ones count each
  -- other: every statement below sees what the one before committed.
  PERFORM pg_advisory_xact_lock(hashtextextended(p_customer_id::TEXT || ':' || p_store_id::TEXT, 0));
  IF (SELECT count(*) FROM orders
      WHERE customer_id = p_customer_id AND store_id = p_store_id AND status = 'PENDING' AND id <> p_order_id) >= p_max_open THEN
    DELETE FROM orders WHERE id = p_order_id;
    RETURN jsonb_build_object('refused', 'too-many-open-orders', 'limit', p_max_open);
  END IF;

  -- Lock in id order: checkouts sharing products queue on the same first row, never deadlock.
  -- Every statement below takes a new snapshot, so it sees these rows as last committed.
  PERFORM 1 FROM products WHERE id = ANY(v_ids) ORDER BY id FOR UPDATE;

  SELECT jsonb_build_object('refused', 'product-unavailable', 'name', l.value->>'name') INTO v_refusal
  FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS l(value, n)
  LEFT JOIN products p ON p.id = (l.value->>'productId')::UUID AND p.id = ANY(v_ids)
  WHERE p.id IS NULL OR p.store_id <> p_store_id OR NOT p.active OR p.archived_at IS NOT NULL
  ORDER BY l.n LIMIT 1;
  IF v_refusal IS NOT NULL THEN
    DELETE FROM orders WHERE id = p_order_id;
    RETURN v_refusal;
  END IF;

  IF EXISTS (
    SELECT 1 FROM jsonb_array_elements(p_lines) l JOIN products p ON p.id = (l->>'productId')::UUID AND p.id = ANY(v_ids)
    WHERE p.mrp <> (l->>'mrp')::NUMERIC OR p.sale_price <> (l->>'salePrice')::NUMERIC
  ) THEN
    DELETE FROM orders WHERE id = p_order_id;
    RETURN jsonb_build_object('refused', 'prices-changed', 'current', (
      SELECT jsonb_agg(jsonb_build_object('productId', p.id, 'name', p.name, 'image', p.image, 'mrp', p.mrp::TEXT, 'salePrice', p.sale_price::TEXT))
      FROM jsonb_array_elements(p_lines) l JOIN products p ON p.id = (l->>'productId')::UUID AND p.id = ANY(v_ids)));
  END IF;

  SELECT jsonb_build_object('refused', 'out-of-stock', 'name', p.name, 'stock', p.stock) INTO v_refusal
  FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS l(value, n)
  JOIN products p ON p.id = (l.value->>'productId')::UUID AND p.id = ANY(v_ids)
  WHERE p.stock < (l.value->>'qty')::INTEGER
  ORDER BY l.n LIMIT 1;
  IF v_refusal IS NOT NULL THEN
    DELETE FROM orders WHERE id = p_order_id;
    RETURN v_refusal;
  END IF;

  -- The guard (stock >= qty) holds even without the locks: never below zero.
  SELECT count(*) INTO v_limited
  FROM jsonb_array_elements(p_lines) l JOIN products p ON p.id = (l->>'productId')::UUID AND p.id = ANY(v_ids)
  WHERE p.stock IS NOT NULL;
  UPDATE products p SET stock = p.stock - (l->>'qty')::INTEGER, updated_at = now()
  FROM jsonb_array_elements(p_lines) l
  WHERE p.id = (l->>'productId')::UUID AND p.id = ANY(v_ids) AND p.stock >= (l->>'qty')::INTEGER;
  GET DIAGNOSTICS v_taken = ROW_COUNT;
  IF v_taken <> v_limited THEN
    RAISE EXCEPTION 'place_order: stock changed under a lock (% of % products taken)', v_taken, v_limited;
  END IF;

  -- The first entry of the order's history: who placed it, and as what.
  INSERT INTO order_history (id, order_id, status, at, actor_role, actor_id, actor_mobile)
  VALUES (v_event_id, p_order_id, p_status, v_order.created_at, p_actor->>'role', (p_actor->>'id')::UUID, p_actor->>'mobile');

  -- Lines as they are bought, at the prices just checked.
  INSERT INTO order_lines (id, order_id, product_id, position, name, image, mrp, sale_price, qty)
  SELECT (l.value->>'id')::UUID, p_order_id, p.id, (l.n - 1)::INTEGER, p.name, p.image, p.mrp, p.sale_price, (l.value->>'qty')::INTEGER
  FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS l(value, n)
  JOIN products p ON p.id = (l.value->>'productId')::UUID AND p.id = ANY(v_ids);

  -- What the store's streams hear, committed with the order (the outbox): the order, and the
  -- stock of each limited product it took.
  PERFORM emit_event(p_store_id, 'order.created', jsonb_build_object('orderId', p_order_id));
  PERFORM emit_event(p_store_id, 'product.stock_changed', jsonb_build_object('productId', p.id, 'stock', p.stock))
  FROM (SELECT p.id, p.stock FROM products p WHERE p.id = ANY(v_ids) AND p.stock IS NOT NULL ORDER BY p.id) p;

  RETURN jsonb_build_object(
    'order', jsonb_build_object(
      'id', v_order.id, 'storeId', v_order.store_id, 'customerId', v_order.customer_id, 'status', v_order.status,
      'cartId', v_order.cart_id, 'idempotencyKey', v_order.idempotency_key, 'address', v_order.address,
      'createdAt', v_order.created_at, 'updatedAt', v_order.updated_at),
    'lines', (
      SELECT jsonb_agg(jsonb_build_object(
        'id', ol.id, 'orderId', ol.order_id, 'productId', ol.product_id, 'position', ol.position, 'name', ol.name,
        'image', ol.image, 'mrp', ol.mrp::TEXT, 'salePrice', ol.sale_price::TEXT, 'qty', ol.qty) ORDER BY ol.position)
      FROM order_lines ol WHERE ol.order_id = p_order_id),
    'history', jsonb_build_array(jsonb_build_object(
      'id', v_event_id, 'orderId', p_order_id, 'status', p_status, 'at', v_order.created_at, 'actorRole', p_actor->>'role',
      'actorId', p_actor->>'id', 'actorMobile', p_actor->>'mobile')),
    'limited', v_limited > 0);
END;
$$;
