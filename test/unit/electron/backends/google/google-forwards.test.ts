import { describe, expect, it } from 'vitest';
import { criteriaText } from '../../../../../electron/backends/google/google-forwards.ts';

describe('Gmail filter criteria in words', () => {
  it('names every criterion a forwarding filter can have, joined with "and"', () => {
    expect(criteriaText({ from: 'boss@x.test' })).toBe('from boss@x.test');
    expect(criteriaText({ to: 'sales@x.test', subject: 'order', hasAttachment: true })).toBe('to sales@x.test and subject contains order and has an attachment');
    expect(criteriaText({ query: 'label:vip', negatedQuery: 'is:chat', size: 1000, sizeComparison: 'smaller' })).toBe('matches "label:vip" and does not match "is:chat" and size under 1000 bytes');
    expect(criteriaText({})).toBe('a filter with no criteria Mailroom reads');
  });
});
