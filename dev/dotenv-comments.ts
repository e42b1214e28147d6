/**
 * In a .env file an unquoted value that starts with `#` is a comment: `ALERT_CHANNEL=#alerts` reads as an
 * empty ALERT_CHANNEL, and the bot would quietly run without alerts. Every such line is a problem to name.
 */
export function commentedValues(text: string): string[] {
  return text.split(/\r?\n/).flatMap((line) => {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*#/.exec(line);
    if (match === null) return [];
    const name = match[1] ?? '';
    return [
      `${name} in .env starts with #, which .env reads as a comment (so ${name} is empty): quote the value (${name}="#...") or, for a channel, give its ID (such as C0123ABCD)`,
    ];
  });
}
