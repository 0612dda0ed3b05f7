// Constructors of the HYP1xxx diagnostics (syntax, files and imports). One function per code; the front end
// (src/parse/) calls them. Voice: plain words, name the thing, end with the fix.
import type { Span } from "../../ast.js";
import type { Diagnostic, Label } from "../diagnostic.js";
import { codes, type Code } from "../codes.js";

function make(
  code: Code,
  message: string,
  span: Span | undefined,
  extra: { label?: string; secondary?: readonly Label[]; help?: string; suggestions?: readonly string[] } = {},
): Diagnostic {
  const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = { code, severity: codes[code].severity, message };
  if (span !== undefined) d.span = span;
  if (extra.label !== undefined) d.label = extra.label;
  if (extra.secondary && extra.secondary.length > 0) d.secondary = extra.secondary;
  if (extra.help !== undefined) d.help = extra.help;
  if (extra.suggestions && extra.suggestions.length > 0) d.suggestions = extra.suggestions.slice(0, 4);
  return d;
}

/** Source text shown inside backticks: control characters escaped, long text cut, so a message stays one line. */
export function quote(text: string, max = 30): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  // eslint-disable-next-line no-control-regex
  const visible = cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029`]/g, (c) =>
    c === "`" ? "'" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `\`${visible}\``;
}

// ---- HYP1001–HYP1013: syntax ---------------------------------------------------------------------------

const characterHelp: Record<string, string> = {
  "=": "Keys and values are separated by `:`: write `key: value`.",
  "#": "Comments start with `//` (or `/* … */` for several lines).",
  "'": "Strings are written in double quotes: `\"text\"`.",
  ";": "Only imports end with `;`. Members are separated by line breaks or commas: remove the `;`.",
  "(": "Objects are written with braces `{ … }` and lists with brackets `[ … ]`.",
  ")": "Objects are written with braces `{ … }` and lists with brackets `[ … ]`.",
  "-": "Names of keys use `_` rather than `-`; put a key with `-` in quotes: `\"my-key\": …`.",
};

export function unknownCharacters(chars: string, span: Span): Diagnostic {
  const plural = chars.length > 1;
  return make("HYP1001", `I don't recognise the character${plural ? "s" : ""} ${quote(chars)} here.`, span, {
    label: plural ? "unknown characters" : "unknown character",
    help:
      characterHelp[chars.charAt(0)] ??
      (/^\p{L}/u.test(chars)
        ? "Unquoted keys use only the letters A–Z, digits and `_`; put this key in double quotes: `\"…\": value`."
        : "Remove it. A .hyp file holds blocks like `messaging { key: value }`, with strings in double quotes."),
  });
}

export function unterminatedString(span: Span): Diagnostic {
  return make("HYP1002", "This string has no closing `\"` before the end of the line.", span, {
    label: "string starts here",
    help: 'Add a `"` where the text ends. Strings cannot span lines: write `\\n` for a line break.',
  });
}

export function invalidEscape(escape: string, span: Span): Diagnostic {
  return make("HYP1003", `${quote(escape)} is not an escape sequence I know.`, span, {
    label: "invalid escape",
    help: 'The escapes are `\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t` and `\\uXXXX` (4 hex digits). For a backslash itself write `\\\\`.',
  });
}

export function unterminatedBlockComment(span: Span): Diagnostic {
  return make("HYP1004", "This comment is never closed, so it hides the rest of the file.", span, {
    label: "comment starts here",
    help: "Close it with `*/`, or use `//` for a one-line comment.",
  });
}

/** A required token is absent (`:` after a key, `;` after an import, `{` after a block name…). */
export function missingToken(expected: string, context: string, found: string, span: Span, help: string): Diagnostic {
  return make("HYP1005", `I expected ${expected} ${context}, but found ${found}.`, span, {
    label: `expected ${expected}`,
    help,
  });
}

export function envNameMissing(span: Span): Diagnostic {
  return make("HYP1005", "I expected the name of an environment variable right after `env.`.", span, {
    label: "expected a name after the dot",
    help: "Write `env.NAME` with no space, e.g. `env.KAFKA_USERNAME`.",
  });
}

const valueForms =
  'A value is a string in double quotes, a number, `true`/`false`, `env.NAME`, an object `{ … }` or a list `[ … ]`.';

export function missingValue(key: string | undefined, found: string, span: Span): Diagnostic {
  const where = key !== undefined ? `after ${quote(`${key}:`)}` : "here";
  return make("HYP1006", `I expected a value ${where}, but found ${found}.`, span, {
    label: "expected a value",
    help: key !== undefined ? `Write a value after the \`:\`, e.g. \`${key}: "…"\`. ${valueForms}` : valueForms,
  });
}

export function bareWordValue(word: string, key: string | undefined, span: Span): Diagnostic {
  const lower = word.toLowerCase();
  const what = key !== undefined ? `The value of ${quote(key)} is the bare word ${quote(word)}` : `${quote(word)} is a bare word`;
  let help: string;
  if (lower === "true" || lower === "false") help = `Booleans are lower case: write \`${lower}\`.`;
  else if (lower === "null" || lower === "nil" || lower === "none" || lower === "undefined")
    help = "There is no null value: leave the key out to use its default.";
  else help = key !== undefined ? `Put it in double quotes: \`${key}: "${word}"\`.` : `Put it in double quotes: \`"${word}"\`.`;
  return make("HYP1007", `${what}; text values are written in double quotes.`, span, { label: "not quoted", help });
}

export function singleQuotedString(raw: string, span: Span): Diagnostic {
  const inner = raw.replace(/^'|'$/g, "").replace(/"/g, '\\"');
  return make("HYP1008", `${quote(raw)} uses single quotes; strings are written in double quotes.`, span, {
    label: "single quotes",
    help: `Write \`"${inner}"\`.`,
  });
}

export function unexpectedTopLevel(found: string, span: Span, isStrayCloser: boolean): Diagnostic {
  if (isStrayCloser) {
    return make("HYP1009", `I found ${found} at the top level, where nothing is open to close.`, span, {
      label: "nothing to close",
      help: "Remove it, or look above it for a `}` or `]` that closes too early.",
    });
  }
  return make(
    "HYP1009",
    `I expected a block like \`messaging { … }\` or an import like \`mindLink "file.hyp";\`, but found ${found}.`,
    span,
    {
      label: "not a block or import",
      help: "At the top level write `name { … }` blocks and `mindLink \"file.hyp\";` imports; every `key: value` belongs inside a block.",
    },
  );
}

/** `key: value` where a block was expected: usually a `}` above closed the block too early. */
export function memberAtTopLevel(key: string, span: Span): Diagnostic {
  return make("HYP1009", `${quote(`${key}:`)} starts a member, but it stands at the top level, outside any block.`, span, {
    label: "outside any block",
    help: "Look above it for a `}` that closes its block too early. (A top-level block is written `name { … }`, without `:`.)",
  });
}

export function nestingTooDeep(limit: number, span: Span): Diagnostic {
  return make("HYP1010", `This value is nested deeper than ${limit} levels of \`{\` and \`[\`, so I skipped it.`, span, {
    label: `more than ${limit} levels deep`,
    help: "Flatten the structure, or check for `{`/`[` that are never closed.",
  });
}

export function numberOutOfRange(raw: string, span: Span): Diagnostic {
  return make("HYP1011", `The number ${quote(raw)} is too large to be represented exactly.`, span, {
    label: "out of range",
    help: `Integers must lie between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}; numbers with a fraction or exponent must be finite. If this is an identifier rather than a quantity, put it in double quotes.`,
  });
}

export function unclosed(kind: "object" | "array", openerSpan: Span, endSpan: Span): Diagnostic {
  const close = kind === "object" ? "}" : "]";
  const open = kind === "object" ? "{" : "[";
  return make("HYP1012", `This \`${open}\` is never closed: I reached the end of the file looking for its \`${close}\`.`, openerSpan, {
    label: `unclosed \`${open}\``,
    secondary: [{ span: endSpan, message: `the file ends here; add \`${close}\`` }],
    help: `A \`${close}\` is missing between this \`${open}\` and the end of the file; the indentation usually shows which ${kind === "object" ? "object" : "list"} it belongs to.`,
  });
}

export function unexpectedInContainer(kind: "object" | "array", found: string, span: Span): Diagnostic {
  if (kind === "object") {
    return make("HYP1013", `I expected the next key or the \`}\` that closes this object, but found ${found}.`, span, {
      label: "unexpected here",
      help: "Members are written `key: value`, separated by line breaks or commas. Remove the extra text, or quote a key that contains special characters.",
    });
  }
  return make("HYP1013", `I expected the next item or the \`]\` that closes this list, but found ${found}.`, span, {
    label: "unexpected here",
    help: `Items are separated by commas or line breaks. ${valueForms}`,
  });
}

export function tooManyErrors(limit: number, span: Span): Diagnostic {
  return make("HYP1090", `I stopped reporting syntax errors in this file after ${limit}; there may be more after this point.`, span, {
    label: "stopped here",
    help: "Fix the errors above (often one missing `}` or quote causes many), then check again.",
  });
}

// ---- HYP1101–HYP1103: files and imports ----------------------------------------------------------------

export function fileNotFound(path: string, span: Span | undefined, resolved: string): Diagnostic {
  const shown = resolved !== path ? ` (looked for ${quote(resolved, 200)})` : "";
  return make("HYP1101", `I cannot find the file ${quote(path, 200)}${shown}.`, span, {
    label: span !== undefined ? "file not found" : undefined,
    help:
      span !== undefined
        ? "Import paths are relative to the importing file. Check the spelling and the folder."
        : "Check the path; it is relative to the current directory.",
  });
}

export function importCycle(cycle: readonly string[], span: Span, others: readonly Label[]): Diagnostic {
  const chain = [...cycle, cycle[0] ?? ""].map((f) => quote(f, 200)).join(" → ");
  return make("HYP1102", `These files import each other in a cycle: ${chain}.`, span, {
    label: "this import closes the cycle",
    secondary: others,
    help: "Remove one of these imports; move what both files need into a third file that both import.",
  });
}

export function fileUnreadable(path: string, reason: string, span: Span | undefined): Diagnostic {
  return make("HYP1103", `I cannot read the file ${quote(path, 200)}: ${reason}.`, span, {
    label: span !== undefined ? "cannot read this file" : undefined,
    help: "Check that the path names a readable .hyp file, not a folder.",
  });
}
