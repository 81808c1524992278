import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

/** The OpenAPI 3.1 document, generated from the registry the routers filled while mounting. */
export function buildOpenApiDocument(registry: OpenAPIRegistry, serverUrl: string) {
  registry.registerComponent('securitySchemes', 'sellerToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A token from POST /api/v1/seller/auth (role seller)',
  });
  registry.registerComponent('securitySchemes', 'customerToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A token from POST /api/v1/customer/auth (role customer)',
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Dukaan API',
      version: '1.0.0',
      description: 'Sellers open stores and list products; buyers browse a store by its link, fill a cart and order.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: serverUrl }],
    tags: [
      { name: 'Seller auth' },
      { name: 'Stores' },
      { name: 'Products' },
      { name: 'Catalog' },
      { name: 'Cart' },
      { name: 'Customer' },
      { name: 'Orders' },
      { name: 'Seller orders' },
      { name: 'Operations' },
    ],
  });
}
