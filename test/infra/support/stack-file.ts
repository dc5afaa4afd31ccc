/**
 * Reads the `thumbnail-service:*` keys of a Pulumi.<stack>.yaml the way the Pulumi CLI hands them to
 * the program: scalars as strings, lists as JSON text. Only the subset of YAML the stack files use
 * (scalars, inline `[]`, block lists of scalars); anything else under a project key is an error.
 */
import { readFileSync } from "node:fs";

const unquote = (v: string): string => v.replace(/^"(.*)"$/, "$1").replace(/^'(.*)'$/, "$1");

export function readStackFile(file: string, project: string): Map<string, string> {
  const values = new Map<string, string>();
  let listKey: string | undefined;
  let list: string[] = [];
  const closeList = (): void => {
    if (listKey !== undefined) values.set(listKey, JSON.stringify(list));
    listKey = undefined;
    list = [];
  };
  for (const raw of readFileSync(file, "utf8").split("\n")) {
    const line = raw.replace(/\s+#.*$/, "").replace(/^\s*#.*$/, "");
    if (line.trim() === "") continue;
    const item = /^ {4}- (.+)$/.exec(line);
    if (item && listKey !== undefined) {
      list.push(unquote(item[1] ?? ""));
      continue;
    }
    closeList();
    const entry = /^ {2}([^\s:]+:[^\s:]+):(?: (.*))?$/.exec(line);
    if (!entry) continue;
    const [, fullKey = "", value] = entry;
    const [namespace, key = ""] = fullKey.split(":");
    if (namespace !== project) continue;
    if (value === undefined) listKey = key;
    else if (value.trim() === "[]") values.set(key, "[]");
    else values.set(key, unquote(value.trim()));
  }
  closeList();
  return values;
}
