import { defineInteropSuite } from './support/interop-suite.ts';
import { defineSuspensionSuite } from './support/suspension-suite.ts';

defineInteropSuite('mysql');
defineSuspensionSuite('mysql');
