export { CliError, EXIT } from './cli-error.js';
export { formatEvent, describeTarget, processIo, type Io } from './output.js';
export { run } from './program.js';
