/**
 * Text as XML element content or an attribute value: the five special characters as numeric
 * character references, as the AWS query and REST-XML services write them.
 *
 * @example
 * escapeXml('a<b & "c"'); // 'a&#60;b &#38; &#34;c&#34;'
 */
export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);
}
