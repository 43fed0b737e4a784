import type { SqlDialect, SqlDriver } from './sql-driver.ts';

// The PostfixAdmin schema at revision 1856, written once with the type macros of public/upgrade.php
// (db_query_parsed) and expanded per engine; SQLite matches ../shared/reference/postfixadmin-schema.sql.
const TABLES: readonly string[] = [
  `config (id {AUTOINCREMENT}, name varchar(20) NOT NULL UNIQUE DEFAULT '', value varchar(20) NOT NULL DEFAULT ''{PK_ID})`,
  `admin (username varchar(255) NOT NULL, password varchar(255) NOT NULL, superadmin {BOOLEAN}, created {DATE}, modified {DATE},
    active {BOOLEAN_TRUE}, phone varchar(30) NOT NULL DEFAULT '', email_other varchar(255) NOT NULL DEFAULT '',
    token varchar(255) NOT NULL DEFAULT '', token_validity {DATE}, totp_secret varchar(255) DEFAULT NULL, PRIMARY KEY (username))`,
  `domain (domain varchar(255) NOT NULL, description varchar(255) NOT NULL DEFAULT '', aliases int NOT NULL DEFAULT 0,
    mailboxes int NOT NULL DEFAULT 0, maxquota {BIGINT}, quota {BIGINT}, transport varchar(255) NOT NULL DEFAULT '',
    backupmx {BOOLEAN}, created {DATE}, modified {DATE}, active {BOOLEAN_TRUE}, password_expiry int DEFAULT 0, PRIMARY KEY (domain))`,
  `domain_admins (username varchar(255) NOT NULL, domain varchar(255) NOT NULL, created {DATE}, active {BOOLEAN_TRUE})`,
  `mailbox (username varchar(255) NOT NULL, password varchar(255) NOT NULL, name varchar(255) NOT NULL DEFAULT '',
    maildir varchar(255) NOT NULL, quota {BIGINT}, local_part varchar(255) NOT NULL, domain varchar(255) NOT NULL {REF_DOMAIN},
    created {DATE}, modified {DATE}, active {BOOLEAN_TRUE}, phone varchar(30) NOT NULL DEFAULT '',
    email_other varchar(255) NOT NULL DEFAULT '', token varchar(255) NOT NULL DEFAULT '', token_validity {DATE},
    password_expiry {DATE}, totp_secret varchar(255) DEFAULT NULL, smtp_active {BOOLEAN_TRUE}, PRIMARY KEY (username))`,
  `alias (address varchar(255) NOT NULL, goto text NOT NULL, domain varchar(255) NOT NULL {REF_DOMAIN}, created {DATE},
    modified {DATE}, active {BOOLEAN_TRUE}, description varchar(255) NOT NULL DEFAULT '', PRIMARY KEY (address))`,
  `alias_domain (alias_domain varchar(255) NOT NULL {REF_DOMAIN}, target_domain varchar(255) NOT NULL {REF_DOMAIN},
    created {DATE}, modified {DATE}, active {BOOLEAN_TRUE}, description varchar(255) NOT NULL DEFAULT '', PRIMARY KEY (alias_domain))`,
  `quota (username varchar(255) NOT NULL, path varchar(100) NOT NULL, current {BIGINT}, PRIMARY KEY (username, path))`,
  `quota2 (username varchar(100) NOT NULL, bytes {BIGINT}, messages int NOT NULL DEFAULT 0, PRIMARY KEY (username))`,
  `vacation (email varchar(255) NOT NULL, subject varchar(255) NOT NULL, body text NOT NULL, activefrom {DATE},
    activeuntil {DATE_2038}, cache text NOT NULL, domain varchar(255) NOT NULL, interval_time int NOT NULL DEFAULT 0,
    created {DATE}, modified {DATECURRENT}, active {BOOLEAN_TRUE}, PRIMARY KEY (email))`,
  `vacation_notification (on_vacation varchar(255) NOT NULL REFERENCES vacation(email) ON DELETE CASCADE,
    notified varchar(255) NOT NULL, notified_at {DATECURRENT}, PRIMARY KEY (on_vacation, notified))`,
  `fetchmail (id {AUTOINCREMENT}, domain varchar(255) DEFAULT '', mailbox varchar(255) NOT NULL, src_server varchar(255) NOT NULL,
    src_auth varchar(255) DEFAULT NULL, src_user varchar(255) NOT NULL, src_password varchar(255) NOT NULL,
    src_folder varchar(255) NOT NULL, poll_time int NOT NULL DEFAULT 10, fetchall {BOOLEAN}, keep {BOOLEAN},
    protocol varchar(255) DEFAULT NULL, usessl {BOOLEAN}, sslcertck {BOOLEAN}, sslcertpath varchar(255) DEFAULT '',
    sslfingerprint varchar(255) DEFAULT '', extra_options text, returned_text text, mda varchar(255) NOT NULL DEFAULT '',
    date {DATE}, created {DATE}, modified {DATECURRENT}, active {BOOLEAN}, src_port int NOT NULL DEFAULT 0{PK_ID})`,
  `log (id {AUTOINCREMENT}, timestamp {DATE}, username varchar(255) NOT NULL, domain varchar(255) NOT NULL,
    action varchar(255) NOT NULL, data text NOT NULL{PK_ID})`,
  `dkim (id {AUTOINCREMENT}, domain_name varchar(255) NOT NULL {REF_DOMAIN_CASCADE}, description varchar(255) DEFAULT '',
    selector varchar(63) NOT NULL DEFAULT 'default', private_key text, public_key text, created {DATE}, modified {DATE}{PK_ID})`,
  `dkim_signing (id {AUTOINCREMENT}, author varchar(255) NOT NULL DEFAULT '', dkim_id int NOT NULL REFERENCES dkim(id) ON DELETE CASCADE,
    created {DATE}, modified {DATE}{PK_ID})`,
  `mailbox_app_password (id {AUTOINCREMENT}, username varchar(255) DEFAULT NULL, description varchar(255) DEFAULT NULL,
    password_hash varchar(255) DEFAULT NULL{PK_ID})`,
];

const MACROS: Readonly<Record<SqlDialect, Readonly<Record<string, string>>>> = {
  mysql: {
    BOOLEAN: "tinyint(1) NOT NULL DEFAULT '0'",
    BOOLEAN_TRUE: "tinyint(1) NOT NULL DEFAULT '1'",
    DATE: "timestamp NOT NULL DEFAULT '2000-01-01 00:00:00'",
    DATE_2038: "timestamp NOT NULL DEFAULT '2038-01-18 00:00:00'",
    DATECURRENT: 'timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP',
    BIGINT: 'bigint NOT NULL DEFAULT 0',
    AUTOINCREMENT: 'int NOT NULL auto_increment',
    PK_ID: ', PRIMARY KEY (id)',
    REF_DOMAIN: '',
    REF_DOMAIN_CASCADE: '',
  },
  sqlite: {
    BOOLEAN: "tinyint(1) NOT NULL DEFAULT '0'",
    BOOLEAN_TRUE: "tinyint(1) NOT NULL DEFAULT '1'",
    DATE: "datetime NOT NULL DEFAULT '2000-01-01'",
    DATE_2038: "datetime NOT NULL DEFAULT '2038-01-18'",
    DATECURRENT: 'datetime NOT NULL DEFAULT CURRENT_TIMESTAMP',
    BIGINT: 'bigint(20) NOT NULL DEFAULT 0',
    AUTOINCREMENT: 'integer PRIMARY KEY AUTOINCREMENT NOT NULL',
    PK_ID: '',
    REF_DOMAIN: '',
    REF_DOMAIN_CASCADE: 'REFERENCES domain(domain) ON DELETE CASCADE',
  },
  postgres: {
    BOOLEAN: 'boolean NOT NULL DEFAULT false',
    BOOLEAN_TRUE: 'boolean NOT NULL DEFAULT true',
    DATE: "timestamp with time zone DEFAULT '2000-01-01'",
    DATE_2038: "timestamp with time zone DEFAULT '2038-01-18'",
    DATECURRENT: 'timestamp with time zone DEFAULT now()',
    BIGINT: 'bigint NOT NULL DEFAULT 0',
    AUTOINCREMENT: 'SERIAL',
    PK_ID: ', PRIMARY KEY (id)',
    REF_DOMAIN: 'REFERENCES domain(domain)',
    REF_DOMAIN_CASCADE: 'REFERENCES domain(domain) ON DELETE CASCADE',
  },
};

/** The PostfixAdmin schema as CREATE statements for one dialect, with the schema revision row. */
export function postfixAdminSchema(dialect: SqlDialect): string {
  const macros = MACROS[dialect];
  const tables = TABLES.map((body) => `CREATE TABLE ${body.replace(/\{([A-Z_0-9]+)\}/g, (_, name: string) => macros[name] ?? `{${name}}`)};`);
  const tail = dialect === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;' : ';';
  return [
    ...tables.map((t) => t.replace(/;$/, tail)),
    'CREATE INDEX idx_domadm_user_domain_active ON domain_admins (username, domain, active);',
    'CREATE INDEX idx_fetchmail_domain ON fetchmail (domain);',
    "INSERT INTO config (name, value) VALUES ('version', '1856');",
  ].join('\n');
}

/** Creates the PostfixAdmin tables in an empty database (tests, demos, the benchmark). */
export async function createPostfixAdminSchema(driver: SqlDriver): Promise<void> {
  await driver.exec(postfixAdminSchema(driver.dialect));
}
