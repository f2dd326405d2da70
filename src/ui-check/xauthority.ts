/**
 * An X authority file with one MIT-MAGIC-COOKIE-1 entry that any display number of this
 * machine matches (FamilyWild, an empty number: what xvfb-run writes with `xauth nlist | sed`).
 * The run's Xvfb reads it with -auth and Blender with XAUTHORITY: no other process of the
 * machine's users can draw on the display, read its pixels or send it input without the cookie.
 *
 * The format (libXau): for each field a 16-bit big-endian length and its bytes: family,
 * address, display number, the authorization's name, its data.
 */
const FAMILY_WILD = 0xffff;
export const COOKIE_NAME = 'MIT-MAGIC-COOKIE-1';

export function xauthorityEntry(cookie: Buffer): Buffer {
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  const family = Buffer.alloc(2);
  family.writeUInt16BE(FAMILY_WILD);
  return Buffer.concat([family, field(Buffer.alloc(0)), field(Buffer.alloc(0)), field(Buffer.from(COOKIE_NAME, 'latin1')), field(cookie)]);
}
