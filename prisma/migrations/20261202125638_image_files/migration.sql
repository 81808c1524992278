-- AlterTable
ALTER TABLE "products" ADD COLUMN     "image_variants" JSONB;

-- CreateTable
CREATE TABLE "image_files" (
    "name" VARCHAR(64) NOT NULL,
    "store_id" UUID NOT NULL,
    "content_type" VARCHAR(32) NOT NULL,
    "bytes" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "image_files_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "image_files_store_id_idx" ON "image_files"("store_id");

-- AddForeignKey
ALTER TABLE "image_files" ADD CONSTRAINT "image_files_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;
