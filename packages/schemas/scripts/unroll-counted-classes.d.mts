/** See unroll-counted-classes.mjs: the build script and the test share it. */
export function unrollCountedClasses(source: string): string;
