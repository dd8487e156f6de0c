export { serve, type ServeOptions, type ServedRegistry } from './serve.js';
export { FileSystemStorage } from './fs-storage.js';
