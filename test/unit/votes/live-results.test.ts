import { describe, expect, it } from 'vitest';
import {
  connectionExpiry,
  errorFrame,
  MAX_VIEWER_MESSAGE_BYTES,
  parseViewerMessage,
  totalsFrame,
  totalsFromImages,
} from '../../../src/domain/votes/live-results.ts';
import { resultsOf } from '../../../src/domain/votes/results.ts';

describe('parseViewerMessage', () => {
  it('understands {"action":"getTotals"}, with or without other properties', () => {
    expect(parseViewerMessage('{"action":"getTotals"}')).toEqual({ ok: true, action: 'getTotals' });
    expect(parseViewerMessage('{"action":"getTotals","since":3}')).toEqual({ ok: true, action: 'getTotals' });
  });

  it('refuses another action, naming the one there is', () => {
    expect(parseViewerMessage('{"action":"vote","candidate":"RED"}')).toMatchObject({
      ok: false,
      code: 'unknown_action',
      message: expect.stringContaining('getTotals'),
    });
  });

  it('refuses what is not a JSON object with a string action', () => {
    for (const body of ['hello', '', undefined, '[]', 'null', '42', '{"action":7}', '{}', '{"Action":"getTotals"}']) {
      expect(parseViewerMessage(body), String(body)).toMatchObject({ ok: false, code: 'invalid_message' });
    }
  });

  it(`refuses a message over ${MAX_VIEWER_MESSAGE_BYTES} bytes, counted in UTF-8, before parsing it`, () => {
    const padded = (bytes: number) => `{"action":"getTotals","pad":"${'x'.repeat(bytes - 31)}"}`;
    expect(Buffer.byteLength(padded(MAX_VIEWER_MESSAGE_BYTES))).toBe(MAX_VIEWER_MESSAGE_BYTES);
    expect(parseViewerMessage(padded(MAX_VIEWER_MESSAGE_BYTES))).toEqual({ ok: true, action: 'getTotals' });
    expect(parseViewerMessage(padded(MAX_VIEWER_MESSAGE_BYTES + 1))).toMatchObject({
      ok: false,
      code: 'message_too_large',
    });
    expect(parseViewerMessage('é'.repeat(MAX_VIEWER_MESSAGE_BYTES / 2 + 1))).toMatchObject({
      ok: false,
      code: 'message_too_large',
    });
  });
});

describe('frames', () => {
  it('carry the totals as GET /results answers them, or an error as the HTTP errors do', () => {
    const results = resultsOf(['RED', 'BLUE'], new Map([['RED', 2]]));
    expect(JSON.parse(JSON.stringify(totalsFrame(results)))).toEqual({
      type: 'totals',
      results: {
        candidates: [
          { candidate: 'RED', votes: 2 },
          { candidate: 'BLUE', votes: 0 },
        ],
        total: 2,
      },
    });
    expect(errorFrame('unknown_action', 'no')).toEqual({
      type: 'error',
      error: { code: 'unknown_action', message: 'no' },
    });
  });
});

describe('totalsFromImages', () => {
  it('takes the totals from the images when every candidate is there, the last image of each winning', () => {
    const images = [
      { Candidate: 'RED', Votes: 1 },
      { Candidate: 'BLUE', Votes: 4 },
      { Candidate: 'RED', Votes: 2 },
      { Candidate: 'PURPLE', Votes: 9 },
    ];
    expect(totalsFromImages(['RED', 'BLUE'], images)).toEqual(
      new Map([
        ['RED', 2],
        ['BLUE', 4],
      ]),
    );
  });

  it('gives up (the table is read) when a candidate has no image in the batch', () => {
    expect(
      totalsFromImages(
        ['RED', 'GREEN', 'BLUE'],
        [
          { Candidate: 'RED', Votes: 1 },
          { Candidate: 'BLUE', Votes: 4 },
        ],
      ),
    ).toBeUndefined();
    expect(totalsFromImages(['RED'], [])).toBeUndefined();
  });
});

describe('connectionExpiry', () => {
  it('is two hours after the connection, in epoch seconds (DynamoDB TTL)', () => {
    expect(connectionExpiry(1_795_342_530_412)).toBe(1_795_342_531 + 7200);
  });
});
