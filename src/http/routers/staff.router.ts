import type { Container } from '../../container';
import { addStaffBody, staffList, staffMember, staffParams, storeParams, updateStaffBody } from '../../schemas/store.schema';
import type { ApiRouter } from '../api-router';

/** A store's staff: the owner's alone (staff calling these get 403, strangers 404). */
export function mountStaff(api: ApiRouter, { services, presenter }: Container): void {
  api.route(
    {
      method: 'post',
      path: '/seller/stores/:storeId/staff',
      tag: 'Staff',
      summary: 'Add a staff member by mobile',
      description:
        'They are staff at once: signing in as a seller with that mobile (a new or an existing account) shows the store ' +
        "among theirs, with these permissions. They get an SMS. The owner's own mobile, a mobile already on the staff, or a " +
        '21st member: 409.',
      auth: 'seller',
      store: 'owner',
      params: storeParams,
      body: addStaffBody,
      responses: { 201: { description: 'The member', schema: staffMember } },
      errors: [409],
    },
    async ({ params, body }, res) => {
      const mobile = services.auth.mobile(body.mobile);
      res.status(201).json(presenter.staffMember(await services.staff.add(params.storeId, { ...body, mobile })));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/seller/stores/:storeId/staff',
      tag: 'Staff',
      summary: "The store's staff",
      auth: 'seller',
      store: 'owner',
      params: storeParams,
      responses: { 200: { description: 'The staff, first added first', schema: staffList } },
    },
    async ({ params }, res) => {
      res.json({ items: (await services.staff.list(params.storeId)).map((m) => presenter.staffMember(m)) });
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/seller/stores/:storeId/staff/:staffId',
      tag: 'Staff',
      summary: "Change a member's name or permissions",
      description: 'Takes effect on their very next request, with the token they already hold.',
      auth: 'seller',
      store: 'owner',
      params: staffParams,
      body: updateStaffBody,
      responses: { 200: { description: 'The member', schema: staffMember } },
    },
    async ({ params, body }, res) => {
      res.json(presenter.staffMember(await services.staff.update(params.storeId, params.staffId, body)));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/seller/stores/:storeId/staff/:staffId',
      tag: 'Staff',
      summary: 'Remove a staff member',
      description: 'Their next request to the store is 404, with the token they already hold, on every instance.',
      auth: 'seller',
      store: 'owner',
      params: staffParams,
      responses: { 204: { description: 'Removed' } },
    },
    async ({ params }, res) => {
      await services.staff.remove(params.storeId, params.staffId);
      res.status(204).end();
    },
  );
}
