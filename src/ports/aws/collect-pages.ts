import { toAwsUserError } from './aws-errors.js';

/** Every item of an SDK paginator's pages; a failure on any page becomes the user-facing AWS error of `operation`. */
export async function collectPages<Page, Item>(
  operation: string,
  pages: AsyncIterable<Page>,
  map: (page: Page) => Item[],
): Promise<Item[]> {
  const items: Item[] = [];
  try {
    for await (const page of pages) items.push(...map(page));
  } catch (error) {
    throw toAwsUserError(error, operation);
  }
  return items;
}
