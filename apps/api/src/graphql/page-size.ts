import {
  GraphQLError,
  Kind,
  TypeInfo,
  getVariableValues,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { MAX_PAGE_SIZE } from '#libs/members';

export { MAX_PAGE_SIZE };

/** Argument names that set how many items a field returns; every one is capped at {@link MAX_PAGE_SIZE}. */
export const PAGE_SIZE_ARGUMENTS: readonly string[] = ['first', 'last', 'limit'];

/** A page-size argument outside 1–{@link MAX_PAGE_SIZE}. */
export interface PageSizeViolation {
  /** `Type.field` of the schema. */
  field: string;
  argument: string;
  value: number;
}

/**
 * The first page-size argument (see {@link PAGE_SIZE_ARGUMENTS}) of `document` whose value, after
 * `variables` and defaults, is outside 1–{@link MAX_PAGE_SIZE}; null when there is none. Looks at
 * the operation `operationName` selects (or every operation when absent) and every fragment.
 * Values that are not integers are left to GraphQL's own coercion errors.
 */
export function findPageSizeViolation(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> = {},
  operationName?: string | null,
): PageSizeViolation | null {
  const definitions = document.definitions.filter(
    (definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ||
      (definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName)),
  );
  const operation = definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const coerced = operation ? getVariableValues(schema, operation.variableDefinitions ?? [], variables) : { coerced: {} };
  const values = 'coerced' in coerced && coerced.coerced ? coerced.coerced : variables;
  const typeInfo = new TypeInfo(schema);
  let violation: PageSizeViolation | null = null;
  visit(
    { kind: Kind.DOCUMENT, definitions },
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        if (violation || !PAGE_SIZE_ARGUMENTS.includes(node.name.value)) return;
        const argument = typeInfo.getArgument();
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!argument || !field || !parent) return;
        const value: unknown = valueFromAST(node.value, argument.type, values);
        if (typeof value === 'number' && Number.isInteger(value) && (value < 1 || value > MAX_PAGE_SIZE)) {
          violation = { field: `${parent.name}.${field.name}`, argument: node.name.value, value };
        }
      },
    }),
  );
  return violation;
}

/** The error of a {@link PageSizeViolation}: BAD_USER_INPUT, HTTP 400, naming the field, argument and range. */
export function pageSizeError(violation: PageSizeViolation): GraphQLError {
  return new GraphQLError(
    `${violation.field}: ${violation.argument} must be from 1 to ${MAX_PAGE_SIZE}, not ${violation.value}`,
    {
      extensions: {
        code: 'BAD_USER_INPUT',
        field: violation.field,
        argument: violation.argument,
        maxPageSize: MAX_PAGE_SIZE,
        http: { status: 400 },
      },
    },
  );
}
