// Prints README's mapping tables from the mappings in force (a test keeps README in step).
import { mappingTableMarkdown } from '../lib/mapping-table.js';

process.stdout.write(mappingTableMarkdown());
