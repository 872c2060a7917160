/** The criteria language: one tree (JSON), its catalogue of fields, validation and a text form. */
export * from './ast.js';
export * from './fields.js';
export * from './text.js';
export * from './validate.js';
export * from './api.js';
