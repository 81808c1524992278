// What a store's staff may be given: each an area of the store, and reading that area needs it too.
//   products  — products, categories, import
//   orders    — orders, summary, status changes, counter orders, the store's event stream
//   customers — the customers list
//   settings  — the store's name and address, webhooks
// The owner holds all four; only the owner manages staff.
export const PERMISSIONS = ['products', 'orders', 'customers', 'settings'] as const;
export type Permission = (typeof PERMISSIONS)[number];
