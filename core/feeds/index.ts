export * from './errors';
export * from './subfeedHash';
export * from './workspaceUri';
export * from './feedLog';
export * from './workspace';
