// One registry per scope (all exported names of the generated modules; members of one class) so that no two
// configuration names generate the same TypeScript name, and every name is an identifier. Problems become
// HYP5001/HYP5002 diagnostics, and the offending declaration is skipped (partial output, never a throw).
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { generatedNameCollision, invalidGeneratedName } from "../diagnostics/constructors/emit.js";
import { isIdentifier, pascalCase } from "./names.js";
import type { Locator } from "./locate.js";

export interface NameOwner {
  /** The name as written in the configuration. */
  readonly name: string;
  /** What it names, for messages: `producer`, `handler`, `event`, … */
  readonly role: string;
  /** The key under which the name is written as a value (`handler`, `name`), if it is a value. */
  readonly valueKey?: string;
}

export class NameRegistry {
  private readonly owners = new Map<string, NameOwner>();

  constructor(
    private readonly diagnostics: Diagnostic[],
    private readonly locate: Locator,
    reserved: readonly string[] = [],
  ) {
    for (const name of reserved) this.owners.set(name, { name, role: "generated helper" });
  }

  /** Checks that `owner.name` itself is an identifier; reports and returns false if not. */
  verbatim(owner: NameOwner): boolean {
    if (isIdentifier(owner.name)) return true;
    this.diagnostics.push(invalidGeneratedName(owner.name, owner.role, this.span(owner), pascalCase(owner.name)));
    return false;
  }

  /** Reports that `owner.name` yields no usable TypeScript name; returns an empty list for flatMap callers. */
  invalid(owner: NameOwner): [] {
    this.diagnostics.push(invalidGeneratedName(owner.name, owner.role, this.span(owner)));
    return [];
  }

  /**
   * Claims `generated` for `owner`. The same owner may claim a name twice (a handler used by two consumers);
   * a different owner gets HYP5002.
   */
  claim(generated: string, owner: NameOwner): boolean {
    const previous = this.owners.get(generated);
    if (previous === undefined) {
      this.owners.set(generated, owner);
      return true;
    }
    if (previous.name === owner.name && previous.role === owner.role) return true;
    this.diagnostics.push(
      generatedNameCollision(
        generated,
        { name: previous.name, role: previous.role, span: this.span(previous) },
        { name: owner.name, role: owner.role, span: this.span(owner) },
      ),
    );
    return false;
  }

  private span(owner: NameOwner) {
    return this.locate(owner.name, owner.valueKey);
  }
}
