// Decorator metadata needs the reflect polyfill before any decorated class is loaded.
require('reflect-metadata');
