import { definePostfixAdminSuite } from './support/pfa-suite.ts';

definePostfixAdminSuite('mysql', 'SHA512-CRYPT');
