export * from './stableStringify';
export * from './hash';
export * from './ndarray';
export * from './serialize';
export * from './messages';
export * from './paths';
export * from './chunkEncoding';
export * from './dataObjects';
