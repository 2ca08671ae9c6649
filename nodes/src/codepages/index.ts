export * from './code-page.js';
export * from './codec.js';
