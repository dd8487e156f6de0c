/**
 * Where Go's `encoding/json` stops on malformed JSON: the `Offset` of its `*json.SyntaxError`,
 * which distribution puts in a MANIFEST_INVALID detail. Go counts the offending byte, so the
 * offset is its index plus one; input that ends too early reports its length. Undefined when the
 * text is valid JSON. Works on UTF-16 text indices, which equal byte offsets for the ASCII that
 * JSON's structure is made of; a manifest with non-ASCII strings before the error shifts them.
 */
export function jsonSyntaxErrorOffset(text: string): number | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.space();
    scanner.value(0);
    scanner.space();
    if (scanner.at < text.length) scanner.fail();
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxStop) return error.offset;
    throw error;
  }
}

class SyntaxStop {
  constructor(readonly offset: number) {}
}

const MAX_DEPTH = 10_000;

class Scanner {
  at = 0;

  constructor(readonly text: string) {}

  fail(): never {
    throw new SyntaxStop(this.at >= this.text.length ? this.text.length : this.at + 1);
  }

  space(): void {
    while (this.at < this.text.length && ' \t\r\n'.includes(this.text[this.at] as string)) this.at += 1;
  }

  expect(literal: string): void {
    for (const char of literal) {
      if (this.text[this.at] !== char) this.fail();
      this.at += 1;
    }
  }

  value(depth: number): void {
    if (depth > MAX_DEPTH) this.fail();
    const char = this.text[this.at];
    if (char === '{') return this.object(depth);
    if (char === '[') return this.array(depth);
    if (char === '"') return this.string();
    if (char === 't') return this.expect('true');
    if (char === 'f') return this.expect('false');
    if (char === 'n') return this.expect('null');
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.number();
    this.fail();
  }

  object(depth: number): void {
    this.members('}', () => {
      if (this.text[this.at] !== '"') this.fail();
      this.string();
      this.space();
      this.expect(':');
      this.space();
      this.value(depth + 1);
    });
  }

  array(depth: number): void {
    this.members(']', () => this.value(depth + 1));
  }

  /** The comma-separated items of an object or array, from its opening character to `close`. */
  members(close: string, item: () => void): void {
    this.at += 1;
    this.space();
    if (this.text[this.at] === close) {
      this.at += 1;
      return;
    }
    for (;;) {
      item();
      this.space();
      if (this.text[this.at] !== ',') return this.expect(close);
      this.at += 1;
      this.space();
    }
  }

  string(): void {
    this.at += 1;
    for (;;) {
      const char = this.text[this.at];
      if (char === undefined || char < ' ') this.fail();
      this.at += 1;
      if (char === '"') return;
      if (char !== '\\') continue;
      const escaped = this.text[this.at];
      if (escaped === 'u') {
        this.at += 1;
        for (let i = 0; i < 4; i++) {
          if (!/[0-9a-fA-F]/.test(this.text[this.at] ?? '')) this.fail();
          this.at += 1;
        }
      } else if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) this.at += 1;
      else this.fail();
    }
  }

  number(): void {
    if (this.text[this.at] === '-') this.at += 1;
    if (this.text[this.at] === '0') this.at += 1;
    else this.digits();
    if (this.text[this.at] === '.') {
      this.at += 1;
      this.digits();
    }
    if (this.text[this.at] === 'e' || this.text[this.at] === 'E') {
      this.at += 1;
      if (this.text[this.at] === '+' || this.text[this.at] === '-') this.at += 1;
      this.digits();
    }
  }

  digits(): void {
    const start = this.at;
    while (/[0-9]/.test(this.text[this.at] ?? '')) this.at += 1;
    if (this.at === start) this.fail();
  }
}
