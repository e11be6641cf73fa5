// Runs the CLI from source, as bin/siemkit.js runs the build: tests spawn `node --import tsx` on this file.
import { main } from '../../cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`siemkit: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
