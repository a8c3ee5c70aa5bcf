export * from './workspaceActions';
export * from './workspace';
export * from './curationActions';
export * from './curation';
