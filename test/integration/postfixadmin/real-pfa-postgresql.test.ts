import { defineInteropSuite } from './support/interop-suite.ts';

defineInteropSuite('postgres');
