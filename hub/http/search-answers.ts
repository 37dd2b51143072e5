import { preparedJson, type Prepared } from './answer.js';

/**
 * Search answers prepared once per (hits array, spelling of the query): a repeated search
 * returns the same hits array until the index changes, so the fast path and Express send the
 * same bytes and ETag without serialising them per request.
 */
export class SearchAnswers {
  private readonly byHits = new WeakMap<object, Map<string, Prepared>>();

  answer(items: object, query: string): Prepared {
    let answers = this.byHits.get(items);
    if (!answers) this.byHits.set(items, (answers = new Map<string, Prepared>()));
    let made = answers.get(query);
    if (!made) {
      if (answers.size >= 8) answers.clear();
      answers.set(query, (made = preparedJson({ items, query }, false)));
    }
    return made;
  }
}
