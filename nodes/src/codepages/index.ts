export * from './code-page.js';
export * from './codec.js';
export * from './guess.js';
