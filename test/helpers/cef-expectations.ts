// What liblognorm must read from a line of the real CEF encoder, and the space issue 363 needs.
import { parseCef } from './strict-cef-parser.js';

/** The space liblognorm needs before the extension (issue 363), put after the 7th unescaped pipe. */
export function withExtensionSpace(line: string): string {
  let pipes = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '|' && ++pipes === 7) return `${line.slice(0, i + 1)} ${line.slice(i + 1)}`;
  }
  return line;
}

/** liblognorm's `cef` object for a line, as the spec-strict parser reads it. */
export function expectedCef(line: string, spaceBeforeExtension = false): Record<string, unknown> {
  const p = parseCef(line, { spaceBeforeExtension });
  return {
    cef: {
      DeviceVendor: p.vendor,
      DeviceProduct: p.product,
      DeviceVersion: p.productVersion,
      SignatureID: p.classId,
      Name: p.name,
      Severity: p.severity,
      Extensions: p.extension,
    },
  };
}
