/** See parsed-validators.mjs: the build script and the test share it. */
export function parsedValidator(schemas: readonly object[], rootId: string, options: { strict: boolean }): { code: string; entry: string };
