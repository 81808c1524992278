// Lua scripts for carts. Redis runs each one atomically, so concurrent changes to one cart are
// applied one after another and none is lost (20 parallel adds of 1 end at exactly 20).
//
// A cart is a hash `cart:<uuid>`: `store` (id), `slug`, `seq` (line order counter), `updatedAt`
// (ms), and one field `l:<productId>` per line holding JSON {n: name, i: image, m: mrp paise,
// s: sale price paise, q: qty, o: order}. KEYS[2] is the set of archived product ids: their lines
// vanish from every cart the next time it is read or changed.
//
// Failures return {'!', CODE} (no hash field is named '!').
//
// The scripts are registered with ioredis's defineCommand, so each call sends the script's SHA
// (EVALSHA), not its text.

const RESULT = `
local function result()
  local all = redis.call('HGETALL', KEYS[1])
  local out = {}
  for i = 1, #all, 2 do
    local k = all[i]
    if string.sub(k, 1, 2) == 'l:' and redis.call('SISMEMBER', KEYS[2], string.sub(k, 3)) == 1 then
      redis.call('HDEL', KEYS[1], k)
    else
      out[#out + 1] = k
      out[#out + 1] = all[i + 1]
    end
  end
  return out
end
local function touch()
  redis.call('HSET', KEYS[1], 'updatedAt', ARGV[1])
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
`;

/** ARGV: now, ttl. */
export const READ = `${RESULT}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'!', 'NO_CART'} end
return result()
`;

/** ARGV: now, ttl, storeId, slug. */
export const CREATE = `${RESULT}
redis.call('HSET', KEYS[1], 'store', ARGV[3], 'slug', ARGV[4], 'seq', 0)
touch()
return result()
`;

/**
 * KEYS: cart, archived, the store's change token. ARGV: now, ttl, productId, qty, stock (-1
 * unlimited), line JSON, max lines, max qty, slug, product's store id, the change token the
 * product was read under ('' to skip the check), available (1 or 0).
 */
export const ADD = `${RESULT}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'!', 'NO_CART'} end
if ARGV[11] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[11] then return {'!', 'STALE'} end
if ARGV[12] ~= '1' then return {'!', 'UNAVAILABLE'} end
if redis.call('HGET', KEYS[1], 'slug') ~= ARGV[9] then return {'!', 'LINK_OF_ANOTHER_STORE'} end
if redis.call('HGET', KEYS[1], 'store') ~= ARGV[10] then return {'!', 'PRODUCT_OF_ANOTHER_STORE'} end
local field = 'l:' .. ARGV[3]
local current = redis.call('HGET', KEYS[1], field)
local old, order = 0, nil
if current and redis.call('SISMEMBER', KEYS[2], ARGV[3]) == 0 then
  local line = cjson.decode(current)
  old, order = line.q, line.o
else
  local lines = 0
  for _, k in ipairs(redis.call('HKEYS', KEYS[1])) do
    if string.sub(k, 1, 2) == 'l:' then lines = lines + 1 end
  end
  if lines >= tonumber(ARGV[7]) then return {'!', 'TOO_MANY_LINES'} end
  order = redis.call('HINCRBY', KEYS[1], 'seq', 1)
end
local qty = old + tonumber(ARGV[4])
if qty > tonumber(ARGV[8]) then return {'!', 'LINE_LIMIT'} end
local stock = tonumber(ARGV[5])
if stock >= 0 and qty > stock then return {'!', 'OUT_OF_STOCK'} end
local line = cjson.decode(ARGV[6])
line.q, line.o = qty, order
redis.call('HSET', KEYS[1], field, cjson.encode(line))
touch()
return result()
`;

/** ARGV: now, ttl, productId, qty (0 removes), stock (-1 unlimited). */
export const SET_QTY = `${RESULT}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'!', 'NO_CART'} end
local field = 'l:' .. ARGV[3]
local current = redis.call('HGET', KEYS[1], field)
if not current or redis.call('SISMEMBER', KEYS[2], ARGV[3]) == 1 then return {'!', 'NO_LINE'} end
local qty = tonumber(ARGV[4])
if qty == 0 then
  redis.call('HDEL', KEYS[1], field)
else
  local stock = tonumber(ARGV[5])
  if stock >= 0 and qty > stock then return {'!', 'OUT_OF_STOCK'} end
  local line = cjson.decode(current)
  line.q = qty
  redis.call('HSET', KEYS[1], field, cjson.encode(line))
end
touch()
return result()
`;

/** ARGV: now, ttl, productId. */
export const REMOVE = `${RESULT}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'!', 'NO_CART'} end
if redis.call('HDEL', KEYS[1], 'l:' .. ARGV[3]) == 1 then touch() end
return result()
`;

/** ARGV: now, ttl, then pairs of productId and line JSON: the lines' names, images and prices. */
export const REPRICE = `${RESULT}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'!', 'NO_CART'} end
for i = 3, #ARGV, 2 do
  local field = 'l:' .. ARGV[i]
  local current = redis.call('HGET', KEYS[1], field)
  if current then
    local line = cjson.decode(current)
    local fresh = cjson.decode(ARGV[i + 1])
    fresh.q, fresh.o = line.q, line.o
    redis.call('HSET', KEYS[1], field, cjson.encode(fresh))
  end
end
touch()
return result()
`;

/** Every script above, by the name ioredis registers it under. */
export const CART_SCRIPTS = {
  cartRead: READ,
  cartCreate: CREATE,
  cartAdd: ADD,
  cartSetQty: SET_QTY,
  cartRemove: REMOVE,
  cartReprice: REPRICE,
} as const;

export type CartScript = keyof typeof CART_SCRIPTS;
