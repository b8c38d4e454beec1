import { describe, expect, it } from 'vitest';
import { choicesText, escapeXml, thankYouText, twimlMessage } from '../../../src/domain/votes/sms-reply.ts';

describe('SMS replies (TwiML)', () => {
  it('thanks the voter in the documented TwiML', () => {
    expect(twimlMessage(thankYouText('GREEN'))).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thank you for casting a vote for GREEN</Message></Response>',
    );
  });

  it('escapes every XML special character', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;',
    );
  });

  it('escapes text inside the message, so a candidate name cannot inject markup', () => {
    expect(twimlMessage(thankYouText('R&D</Message><Redirect>x'))).toContain(
      '<Message>Thank you for casting a vote for R&amp;D&lt;/Message&gt;&lt;Redirect&gt;x</Message>',
    );
  });

  it('lists the choices in configured order', () => {
    expect(choicesText(['RED', 'GREEN', 'BLUE'])).toMatch(/RED, GREEN, BLUE$/);
  });
});
