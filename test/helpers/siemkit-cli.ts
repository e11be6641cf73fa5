// Runs the CLI from source, as bin/siemkit.js runs the build: tests spawn `node --import tsx` on this file.
import { runCli } from '../../cli/main.js';

runCli(process.argv.slice(2));
