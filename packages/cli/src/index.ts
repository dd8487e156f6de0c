export { CliError, EXIT } from './cli-error.js';
export { bufferedIo, describeTarget, formatEvent, processIo, type Io } from './output.js';
export { run } from './program.js';
