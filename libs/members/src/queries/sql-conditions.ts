/**
 * Collects SQL conditions and their positional parameters, so list queries add only the
 * filters that were given (each one then matches an index, instead of `$1 IS NULL OR ...`).
 */
export class SqlConditions {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  /** Adds a parameter and returns its placeholder (`$n`). */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Adds a condition built with {@link param} placeholders. */
  add(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  /** `WHERE a AND b ...`, or an empty string when there is nothing to filter. */
  where(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }

  /** The conditions joined by AND (or `TRUE`), to embed after an existing WHERE. */
  and(): string {
    return this.conditions.length ? this.conditions.join(' AND ') : 'TRUE';
  }
}
