-- AlterTable
ALTER TABLE "products" ADD COLUMN     "image_bytes" INTEGER;
