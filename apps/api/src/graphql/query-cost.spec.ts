import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { connectionEstimator, selectionDepth } from './query-cost.js';

describe('connectionEstimator', () => {
  it.each([
    [{ first: 100 }, 3, 301],
    [{ first: 10 }, 0, 11],
    [{ first: 100000 }, 1, 101],
    [{}, 3, undefined],
    [{ first: 0 }, 3, undefined],
  ])('args %j with child cost %i → %s', (args, childComplexity, expected) => {
    expect(connectionEstimator({ args, childComplexity } as never)).toBe(expected);
  });
});

describe('selectionDepth', () => {
  const depthOf = (source: string) => {
    const document = parse(source);
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
    return selectionDepth(operation.selectionSet, fragments);
  };

  it.each([
    ['{ a }', 1],
    ['{ a { b { c } } d }', 3],
    ['{ a { ... on T { b { c } } } }', 3],
    ['fragment F on T { b { c } } { a { ...F } }', 3],
  ])('%s is %i deep', (source, expected) => {
    expect(depthOf(source)).toBe(expected);
  });
});
