import { definePostfixAdminSuite } from './support/pfa-suite.ts';

definePostfixAdminSuite('sqlite', 'BLF-CRYPT');
