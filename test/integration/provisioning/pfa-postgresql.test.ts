import { definePostfixAdminSuite } from './support/pfa-suite.ts';

definePostfixAdminSuite('postgres', 'ARGON2ID');
