// The zip format's record signatures and limits (PKWARE APPNOTE), shared by the zip reader and the
// backup's zip writer.
export const LOCAL_SIG = 0x04034b50;
export const CENTRAL_SIG = 0x02014b50;
export const EOCD_SIG = 0x06054b50;
export const ZIP64_EOCD_SIG = 0x06064b50;
export const ZIP64_LOCATOR_SIG = 0x07064b50;
/** A 32-bit size or offset field holding this says "see the ZIP64 extra field". */
export const MAX32 = 0xffffffff;
export const MAX16 = 0xffff;
export const UTF8_FLAG = 0x0800;
