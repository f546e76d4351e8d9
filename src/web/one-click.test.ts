import { describe, expect, it } from 'vitest';
import { isOneClickBody, parseMultipartFields } from './one-click.js';

describe('isOneClickBody', () => {
  it.each([
    [{ 'List-Unsubscribe': 'One-Click' }, true],
    ['List-Unsubscribe=One-Click', true],
    ['List-Unsubscribe=One-Click\r\n', true],
    [{ 'List-Unsubscribe': 'one-click' }, false],
    [{ 'List-Unsubscribe': ['One-Click', 'One-Click'] }, false],
    [{ _csrf: 'x' }, false],
    ['', false],
    [undefined, false],
    [null, false],
  ])('says %j is %s', (body, expected) => {
    expect(isOneClickBody(body)).toBe(expected);
  });
});

describe('parseMultipartFields', () => {
  it('reads text fields and skips files', () => {
    const body =
      '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n' +
      '--b\r\nContent-Disposition: form-data; name="upload"; filename="x.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n';
    expect(parseMultipartFields(body, 'b')).toEqual({ 'List-Unsubscribe': 'One-Click' });
  });

  it('returns nothing for a body without parts', () => {
    expect(parseMultipartFields('List-Unsubscribe=One-Click', 'b')).toEqual({});
  });
});
