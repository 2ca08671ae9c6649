import { describe, expect, it } from 'vitest';
import { choosePortItems } from './port-items.js';

const live = [{ code: 'live' }];
const stored = [{ code: 'stored-1' }, { code: 'stored-2' }];

describe('choosePortItems', () => {
  it('shows the live items until the route answers', () => {
    expect(choosePortItems(true, undefined, live)).toEqual({ items: live });
  });

  it('shows the route items during a run', () => {
    expect(choosePortItems(true, { items: stored }, live)).toEqual({ items: stored });
  });

  it('falls back to the live items when the route fails during a run', () => {
    expect(choosePortItems(true, { error: 'run not found' }, live)).toEqual({ items: live });
  });

  it('falls back to the live items when the route has none yet', () => {
    expect(choosePortItems(true, { items: [] }, live)).toEqual({ items: live });
  });

  it('shows the stored items and the error after a run', () => {
    expect(choosePortItems(false, { items: stored }, live)).toEqual({ items: stored });
    expect(choosePortItems(false, { error: 'boom' }, live)).toEqual({ items: live, error: 'boom' });
    expect(choosePortItems(false, { items: [] }, live)).toEqual({ items: [] });
  });
});
