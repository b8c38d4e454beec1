import type { MarkdownIt, StateCore, Token } from 'markdown-it';

// GitHub's task list item: a list item whose paragraph starts with `[ ]` or `[x]` and a space.
// An escaped `\[` is a separate text_special token until text_join runs, so it never matches here.
const TASK_MARKER = /^\[([ xX])\](?=[ \t])/;

/** The token that stands for a task's checkbox; `meta.checked` says whether it is ticked. */
export const TASK_CHECKBOX = 'task_checkbox';

/**
 * markdown-it plugin for task lists. (@hedgedoc/markdown-it-plugins' taskLists imports
 * `markdown-it/lib/token.js`, which markdown-it 15 no longer exports, and gives every checkbox an id.)
 */
export function taskLists(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'task_lists', markTaskItems);
  md.renderer.rules[TASK_CHECKBOX] = (tokens, idx) =>
    `<input class="task-list-item-checkbox" type="checkbox" disabled${tokens[idx]!.meta?.checked ? ' checked' : ''}>`;
}

function markTaskItems(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 2; i < tokens.length; i += 1) {
    const inline = tokens[i]!;
    const first = inline.children?.[0];
    if (
      inline.type !== 'inline' ||
      tokens[i - 1]!.type !== 'paragraph_open' ||
      tokens[i - 2]!.type !== 'list_item_open'
    )
      continue;
    const marker = first?.type === 'text' ? TASK_MARKER.exec(first.content) : null;
    if (!first || !marker) continue;
    first.content = first.content.slice(marker[0].length);
    const checkbox = new state.Token(TASK_CHECKBOX, 'input', 0);
    checkbox.meta = { checked: marker[1] !== ' ' };
    inline.children!.unshift(checkbox);
    tokens[i - 2]!.attrJoin('class', 'task-list-item');
    markList(tokens, i - 2);
  }
}

/** Gives the list that holds the item at `itemIndex` the class GitHub gives it, once. */
function markList(tokens: Token[], itemIndex: number): void {
  const level = tokens[itemIndex]!.level - 1;
  for (let j = itemIndex - 1; j >= 0; j -= 1) {
    const token = tokens[j]!;
    if (token.level !== level || token.nesting !== 1) continue;
    if (!String(token.attrGet('class') ?? '').includes('contains-task-list'))
      token.attrJoin('class', 'contains-task-list');
    return;
  }
}
