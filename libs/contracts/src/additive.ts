/**
 * `.meta()` for objects that may gain fields within a version (event payloads, money).
 * zod-openapi documents response-side objects with `additionalProperties: false`; for these
 * that would tell consumers to reject additions we promise to make, so it is left out.
 */
export const additiveObjectMeta = {
  override: ({ jsonSchema }: { jsonSchema: { additionalProperties?: unknown } }) => {
    if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
  },
};
