import { credentialKindFields, credentialKindJsonSchema, type CredentialKind } from '@kuryr/nodes';
import { Router } from 'express';

/**
 * Creates `GET /credential-kinds`: each credential kind that blocks use, with the JSON Schema
 * of its fields. A field marked `secret` is write-only, so a form shows a password input for it,
 * and no response carries it.
 */
export function credentialKindRoutes(): Router {
  const router = Router();
  const kinds = (Object.keys(credentialKindFields) as CredentialKind[]).map((kind) => ({
    kind,
    schema: credentialKindJsonSchema(kind),
  }));
  router.get('/credential-kinds', (_request, response) => {
    response.json({ kinds });
  });
  return router;
}
