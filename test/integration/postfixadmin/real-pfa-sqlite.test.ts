import { defineInteropSuite } from './support/interop-suite.ts';
import { defineSuspensionSuite } from './support/suspension-suite.ts';

defineInteropSuite('sqlite');
defineSuspensionSuite('sqlite');
