import { ValidationError } from "@flowshield/common/contract/validation";

// Keyset paging for the List RPCs: a page token names the last item of the page by its time and
// id (opaque to callers), and a page is asked of the store one item longer than the page size, so
// that whether a next page exists is known without counting.

export interface PageRequest {
  pageSize: number;
  pageToken: string;
}

export interface PageCursor {
  time: Date;
  id: string;
}

// How many items to ask the store for (one more than the page), and after which item.
export function pageQuery(req: PageRequest, sizes: { default: number; max: number }): { limit: number; after?: PageCursor } {
  if (req.pageSize < 0) throw new ValidationError("page_size", "must not be negative");
  const size = Math.min(req.pageSize === 0 ? sizes.default : req.pageSize, sizes.max);
  return { limit: size + 1, ...(req.pageToken !== "" ? { after: parsePageToken(req.pageToken) } : {}) };
}

// The page out of what the store answered for pageQuery, and the token of the next one ("" at the end).
export function pageOf<T>(items: T[], limit: number, cursorOf: (item: T) => PageCursor): { items: T[]; nextPageToken: string } {
  const page = items.slice(0, limit - 1);
  const last = page[page.length - 1];
  if (items.length < limit || last === undefined) return { items: page, nextPageToken: "" };
  const cursor = cursorOf(last);
  return { items: page, nextPageToken: Buffer.from(`${cursor.time.toISOString()}|${cursor.id}`).toString("base64url") };
}

function parsePageToken(token: string): PageCursor {
  const [time = "", id = ""] = Buffer.from(token, "base64url").toString("utf8").split("|");
  const parsed = new Date(time);
  if (Number.isNaN(parsed.getTime()) || !/^[0-9a-f-]{36}$/.test(id))
    throw new ValidationError("page_token", "is not a token this service gave");
  return { time: parsed, id };
}
