/** The light markdown of answers (paragraphs, **bold**, "- " lists, [links](url)) as text to read aloud. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)/g, '$1') // [text](url) → text
    .replace(/https?:\/\/\S+/g, '') // bare URLs are not read out
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/(^|\n)\s*(?:[-*•]|\d+[.)、])\s+/g, '$1') // list markers
    .replace(/[#>`*_]/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{2,}/g, '\n')
    .trim();
}
