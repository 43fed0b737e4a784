import type { BackendAdapter } from './adapter.ts';
import { type Result, err, ok } from '../../shared/errors/result.ts';
import { GoogleWorkspaceAdapter, type GoogleSettings } from './google/google-adapter.ts';
import type { HttpLayerOptions } from './http/http-client.ts';
import { MailcowAdapter, type MailcowSettings } from './mailcow/mailcow-adapter.ts';
import { MicrosoftGraphAdapter, type MicrosoftSettings } from './microsoft/microsoft-adapter.ts';
import { StalwartAdapter, type StalwartSettings } from './stalwart/stalwart-adapter.ts';

/** Backend kinds served by an HTTP API adapter (the SQL and IMAP kinds are registered by their owners). */
export type ApiBackendKind = 'mailcow' | 'stalwart' | 'google-workspace' | 'microsoft-365';

/** Runtime options shared by every adapter: retry policy, extra CA, injectable clock and sleep for tests. */
export type AdapterOptions = HttpLayerOptions;

type Settings = Readonly<Record<string, unknown>>;

function text(settings: Settings, key: string, required: true): Result<string>;
function text(settings: Settings, key: string, required: false): Result<string | undefined>;
function text(settings: Settings, key: string, required: boolean): Result<string | undefined> {
  const value = settings[key];
  if (value === undefined || value === null || value === '') return required ? err('input.invalid', `Connection setting "${key}" is required.`) : ok(undefined);
  return typeof value === 'string' ? ok(value) : err('input.invalid', `Connection setting "${key}" must be text.`);
}

function url(settings: Settings, key: string, required: boolean): Result<string | undefined> {
  const value = required ? text(settings, key, true) : text(settings, key, false);
  if (!value.ok || value.value === undefined) return value;
  try {
    const parsed = new URL(value.value);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? ok(value.value) : err('input.invalid', `Connection setting "${key}" must be an http(s) URL.`);
  } catch {
    return err('input.invalid', `Connection setting "${key}" is not a URL.`);
  }
}

/** Collects optional string settings, dropping absent ones (exactOptionalPropertyTypes-friendly). */
function pick(settings: Settings, keys: readonly string[], urls: readonly string[] = []): Result<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = urls.includes(key) ? url(settings, key, false) : text(settings, key, false);
    if (!value.ok) return value;
    if (value.value !== undefined) out[key] = value.value;
  }
  return ok(out);
}

/** Checks a Google Workspace connection's stored settings. */
export function googleSettings(settings: Settings): Result<GoogleSettings> {
  const adminEmail = text(settings, 'adminEmail', true);
  if (!adminEmail.ok) return adminEmail;
  const rest = pick(settings, ['customer', 'rootUrl', 'gmailRootUrl'], ['rootUrl', 'gmailRootUrl']);
  return rest.ok ? ok({ adminEmail: adminEmail.value, ...rest.value }) : rest;
}

/** Checks a Microsoft 365 connection's stored settings. */
export function microsoftSettings(settings: Settings): Result<MicrosoftSettings> {
  const tenantId = text(settings, 'tenantId', true);
  if (!tenantId.ok) return tenantId;
  const clientId = text(settings, 'clientId', true);
  if (!clientId.ok) return clientId;
  const rest = pick(settings, ['authorityHost', 'graphBaseUrl', 'licenseSkuId', 'usageLocation'], ['authorityHost', 'graphBaseUrl']);
  return rest.ok ? ok({ tenantId: tenantId.value, clientId: clientId.value, ...rest.value }) : rest;
}

/**
 * Builds the adapter for an API-backed connection from its stored settings and keychain secret
 * (mailcow API key, Stalwart password or token, Google service-account JSON, Microsoft client secret).
 * Validation errors never echo the secret.
 */
export function createAdapter(kind: ApiBackendKind, settings: Settings, secret: string, options: AdapterOptions = {}): Result<BackendAdapter> {
  if (secret === '') return err('input.invalid', 'The connection has no stored secret.');
  switch (kind) {
    case 'mailcow': {
      const baseUrl = url(settings, 'baseUrl', true);
      if (!baseUrl.ok) return baseUrl;
      const s: MailcowSettings = { baseUrl: baseUrl.value as string };
      return ok(new MailcowAdapter(s, secret, options));
    }
    case 'stalwart': {
      const baseUrl = url(settings, 'baseUrl', true);
      if (!baseUrl.ok) return baseUrl;
      const rest = pick(settings, ['username']);
      if (!rest.ok) return rest;
      const s: StalwartSettings = { baseUrl: baseUrl.value as string, ...rest.value };
      return ok(new StalwartAdapter(s, secret, options));
    }
    case 'google-workspace': {
      const s = googleSettings(settings);
      return s.ok ? ok(new GoogleWorkspaceAdapter(s.value, secret, options)) : s;
    }
    case 'microsoft-365': {
      const s = microsoftSettings(settings);
      return s.ok ? ok(new MicrosoftGraphAdapter(s.value, secret, options)) : s;
    }
  }
}
