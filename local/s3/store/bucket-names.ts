// General purpose bucket naming rules (user guide, "Bucket naming rules"): 3 to 63 characters of
// lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, no
// two adjacent dots, and not shaped like an IP address.
const SHAPE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export function isValidBucketName(name: string): boolean {
  return SHAPE.test(name) && !name.includes('..') && !IP_ADDRESS.test(name);
}
