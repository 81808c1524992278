-- CreateTable
CREATE TABLE "store_events" (
    "id" BIGSERIAL NOT NULL,
    "store_id" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "type" VARCHAR(40) NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "store_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "store_events_store_id_seq_key" ON "store_events"("store_id", "seq");

-- emit_event: one event of a store, in the caller's transaction. Events of a store take turns from
-- here to their transaction's commit (the lock is the transaction's), and each reads the last
-- committed seq after taking it, so seqs follow commit order: a stream never sends 11 before 10,
-- and a reader resuming after 10 never misses an 11 that committed late.
CREATE FUNCTION emit_event(p_store UUID, p_type VARCHAR, p_data JSONB) RETURNS BIGINT
LANGUAGE plpgsql
AS $$
DECLARE
  v_seq BIGINT;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('events:' || p_store::TEXT, 0));
  SELECT coalesce(max(seq), 0) + 1 INTO v_seq FROM store_events WHERE store_id = p_store;
  INSERT INTO store_events (store_id, seq, type, data) VALUES (p_store, v_seq, p_type, p_data);
  RETURN v_seq;
END;
$$;
