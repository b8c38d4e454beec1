// A word: a run of letters, digits and combining marks, which may be joined inside by an apostrophe,
// hyphen, period or underscore (don't, well-known, 3.14, snake_case are one word each). Chinese and
// Japanese are written without spaces, so each Han, Hiragana or Katakana character counts as one
// word, as word processors count them.
const EAST_ASIAN = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}`;
const LETTER = String.raw`[[\p{L}\p{N}\p{M}]--[${EAST_ASIAN}]]`;
const WORD = new RegExp(String.raw`[${EAST_ASIAN}]|${LETTER}+(?:['’\-._]${LETTER}+)*`, 'gv');

/** The number of words in a text (Unicode-aware: any script, East Asian characters one by one). */
export function countWords(text: string): number {
  let count = 0;
  for (const _match of text.matchAll(WORD)) count += 1;
  return count;
}
