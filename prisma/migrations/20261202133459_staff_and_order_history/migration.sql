-- CreateTable
CREATE TABLE "store_members" (
    "id" UUID NOT NULL,
    "store_id" UUID NOT NULL,
    "mobile" VARCHAR(16) NOT NULL,
    "name" VARCHAR(200),
    "permissions" VARCHAR(16)[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "store_members_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_history" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "status" "OrderStatus" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_role" VARCHAR(10) NOT NULL,
    "actor_id" UUID,
    "actor_mobile" VARCHAR(16),

    CONSTRAINT "order_history_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "store_members_mobile_idx" ON "store_members"("mobile");

-- CreateIndex
CREATE UNIQUE INDEX "store_members_store_id_mobile_key" ON "store_members"("store_id", "mobile");

-- CreateIndex
CREATE INDEX "order_history_order_id_at_idx" ON "order_history"("order_id", "at");

-- AddForeignKey
ALTER TABLE "store_members" ADD CONSTRAINT "store_members_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_history" ADD CONSTRAINT "order_history_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Orders placed before history was kept: their creation by the customer, and the status they are
-- in, when it is another, as set by the store's owner at their last change (who set it was not
-- recorded then; the owner is the one who could set all but a cancel).
INSERT INTO "order_history" ("id", "order_id", "status", "at", "actor_role")
SELECT gen_random_uuid(), o."id", 'PENDING', o."created_at", 'customer' FROM "orders" o;
INSERT INTO "order_history" ("id", "order_id", "status", "at", "actor_role", "actor_id", "actor_mobile")
SELECT gen_random_uuid(), o."id", o."status", o."updated_at", 'owner', s."seller_id", a."mobile"
FROM "orders" o JOIN "stores" s ON s."id" = o."store_id" JOIN "accounts" a ON a."id" = s."seller_id"
WHERE o."status" <> 'PENDING';
