const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => XML_ESCAPES[character] ?? character);
}

/** A TwiML document that answers the SMS with one message. */
export function twimlMessage(text: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escapeXml(text)}</Message></Response>`;
}

export function thankYouText(candidate: string): string {
  return `Thank you for casting a vote for ${candidate}`;
}

export function choicesText(candidates: readonly string[]): string {
  return `Sorry, that is not a candidate. Reply with one of: ${candidates.join(', ')}`;
}
