// Lua scripts for carts, and the typed wrapper that calls them. Redis runs each script
// atomically, so concurrent changes to one cart are applied one after another and none is lost
// (20 parallel adds of 1 end at exactly 20).
//
// A cart is a hash `cart:<uuid>`: `store` (id), `slug`, `seq` (line order counter), `updatedAt`
// (ms), and one field `l:<productId>` per line holding JSON {n: name, i: image, m: mrp paise,
// s: sale price paise, q: qty, o: order}. The archived set holds ids of archived products: their
// lines vanish from every cart the next time it is read or changed.
//
// Each script takes one argument, a JSON object decoded with cjson, whose fields are named by the
// TypeScript interfaces below, and answers {'cart', <the hash as field, value, …>} or
// {'refused', <reason>}. ioredis's defineCommand sends each script by its SHA (EVALSHA).
import type { Redis } from 'ioredis';

const COMMON = `
local args = cjson.decode(ARGV[1])
local function answer()
  local all = redis.call('HGETALL', KEYS[1])
  local out = {'cart'}
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
local function refuse(reason) return {'refused', reason} end
local function lineCount()
  local lines = 0
  for _, k in ipairs(redis.call('HKEYS', KEYS[1])) do
    if string.sub(k, 1, 2) == 'l:' then lines = lines + 1 end
  end
  return lines
end
-- A change restarts the cart's time to live: the full one once it has a line, a short one while
-- it is empty (an abandoned or scripted empty cart should not hold Redis memory for days). Each
-- script says which it knows the cart to be, so an add does not count the lines again.
local function touch(hasLines)
  redis.call('HSET', KEYS[1], 'updatedAt', args.now)
  redis.call('EXPIRE', KEYS[1], hasLines and args.ttl or args.emptyTtl)
end
`;

const EXISTS = `if redis.call('EXISTS', KEYS[1]) == 0 then return refuse('NO_CART') end`;

const READ = `${COMMON}
${EXISTS}
return answer()
`;

const CREATE = `${COMMON}
redis.call('HSET', KEYS[1], 'store', args.storeId, 'slug', args.slug, 'seq', 0)
touch(false)
return answer()
`;

/** KEYS[3]: the store's version hash; its `any` must still be `args.version` when one is given. */
const ADD = `${COMMON}
${EXISTS}
if args.version and redis.call('HGET', KEYS[3], 'any') ~= args.version then return refuse('STALE') end
if not args.available then return refuse('UNAVAILABLE') end
if redis.call('HGET', KEYS[1], 'slug') ~= args.slug then return refuse('LINK_OF_ANOTHER_STORE') end
if redis.call('HGET', KEYS[1], 'store') ~= args.storeId then return refuse('PRODUCT_OF_ANOTHER_STORE') end
local field = 'l:' .. args.productId
local current = redis.call('HGET', KEYS[1], field)
local old, order = 0, nil
if current and redis.call('SISMEMBER', KEYS[2], args.productId) == 0 then
  local line = cjson.decode(current)
  old, order = line.q, line.o
else
  if lineCount() >= args.maxLines then return refuse('TOO_MANY_LINES') end
  order = redis.call('HINCRBY', KEYS[1], 'seq', 1)
end
local qty = old + args.qty
if qty > args.maxQty then return refuse('LINE_LIMIT') end
if args.stock and qty > args.stock then return refuse('OUT_OF_STOCK') end
local line = args.line
line.q, line.o = qty, order
redis.call('HSET', KEYS[1], field, cjson.encode(line))
touch(true)
return answer()
`;

const SET_QTY = `${COMMON}
${EXISTS}
local field = 'l:' .. args.productId
local current = redis.call('HGET', KEYS[1], field)
if not current or redis.call('SISMEMBER', KEYS[2], args.productId) == 1 then return refuse('NO_LINE') end
if args.qty == 0 then
  redis.call('HDEL', KEYS[1], field)
else
  if args.stock and args.qty > args.stock then return refuse('OUT_OF_STOCK') end
  local line = cjson.decode(current)
  line.q = args.qty
  redis.call('HSET', KEYS[1], field, cjson.encode(line))
end
touch(args.qty > 0 or lineCount() > 0)
return answer()
`;

const REMOVE = `${COMMON}
${EXISTS}
if redis.call('HDEL', KEYS[1], 'l:' .. args.productId) == 1 then touch(lineCount() > 0) end
return answer()
`;

/** New names, images and prices for lines the cart still has; quantities and order stay. */
const REPRICE = `${COMMON}
${EXISTS}
for _, fresh in ipairs(args.lines) do
  local field = 'l:' .. fresh.productId
  local current = redis.call('HGET', KEYS[1], field)
  if current then
    local line = cjson.decode(current)
    local updated = fresh.line
    updated.q, updated.o = line.q, line.o
    redis.call('HSET', KEYS[1], field, cjson.encode(updated))
  end
end
touch(lineCount() > 0)
return answer()
`;

/** What a line keeps of its product: name, image, mrp and sale price in paise. */
export interface LineFields {
  n: string;
  i: string | null;
  m: number;
  s: number;
}

/** Every script's arguments carry the time of the change and the cart's times to live. */
interface Touch {
  now: number;
  /** Seconds a cart with lines lives after a change. */
  ttl: number;
  /** Seconds a cart without lines lives after a change. */
  emptyTtl: number;
}

export interface AddArgs extends Touch {
  productId: string;
  qty: number;
  /** Units in stock; absent when unlimited. */
  stock?: number;
  line: LineFields;
  maxLines: number;
  maxQty: number;
  /** The slug the buyer's store link names: must be the cart's. */
  slug: string;
  /** The product's store: must be the cart's. */
  storeId: string;
  /** The store version the product was read under; absent to add without the check. */
  version?: string;
  available: boolean;
}

export type CartRefusal =
  | 'NO_CART'
  | 'NO_LINE'
  | 'STALE'
  | 'UNAVAILABLE'
  | 'LINK_OF_ANOTHER_STORE'
  | 'PRODUCT_OF_ANOTHER_STORE'
  | 'TOO_MANY_LINES'
  | 'LINE_LIMIT'
  | 'OUT_OF_STOCK';

/** A script's answer: the cart's hash as it is after the change, or why nothing changed. */
export type CartReply = { fields: Map<string, string> } | { refused: CartRefusal };

/** The Redis keys a script works on. */
export interface CartKeys {
  cart: string;
  archived: string;
}

const SCRIPTS = {
  cartRead: READ,
  cartCreate: CREATE,
  cartAdd: ADD,
  cartSetQty: SET_QTY,
  cartRemove: REMOVE,
  cartReprice: REPRICE,
} as const;
type ScriptName = keyof typeof SCRIPTS;
type Commands = Record<ScriptName, (numKeys: number, ...keysThenArg: string[]) => Promise<string[]>>;

/** The cart scripts, each a typed method. */
export class CartScripts {
  constructor(private readonly redis: Redis) {
    for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { lua });
  }

  read(keys: CartKeys, args: Touch): Promise<CartReply> {
    return this.run('cartRead', [keys.cart, keys.archived], args);
  }

  create(keys: CartKeys, args: Touch & { storeId: string; slug: string }): Promise<CartReply> {
    return this.run('cartCreate', [keys.cart, keys.archived], args);
  }

  add(keys: CartKeys & { storeVersion: string }, args: AddArgs): Promise<CartReply> {
    return this.run('cartAdd', [keys.cart, keys.archived, keys.storeVersion], args);
  }

  /** qty 0 removes the line; `stock` (absent: unlimited) bounds a larger one. */
  setQty(keys: CartKeys, args: Touch & { productId: string; qty: number; stock?: number }): Promise<CartReply> {
    return this.run('cartSetQty', [keys.cart, keys.archived], args);
  }

  remove(keys: CartKeys, args: Touch & { productId: string }): Promise<CartReply> {
    return this.run('cartRemove', [keys.cart, keys.archived], args);
  }

  reprice(keys: CartKeys, args: Touch & { lines: Array<{ productId: string; line: LineFields }> }): Promise<CartReply> {
    return this.run('cartReprice', [keys.cart, keys.archived], args);
  }

  private async run(script: ScriptName, keys: string[], args: object): Promise<CartReply> {
    const reply = await (this.redis as unknown as Commands)[script](keys.length, ...keys, JSON.stringify(args));
    if (reply[0] === 'refused') return { refused: reply[1] as CartRefusal };
    const fields = new Map<string, string>();
    for (let i = 1; i < reply.length; i += 2) fields.set(reply[i]!, reply[i + 1]!);
    return { fields };
  }
}
