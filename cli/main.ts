export async function main(argv: string[]): Promise<number> {
  process.stdout.write(`siemkit: ${argv.join(' ')}\n`);
  return 0;
}
