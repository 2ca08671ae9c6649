import { createStore, useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { createGraphSlice, type GraphSlice } from './graph-slice.js';
import { createRunSlice, type RunSlice } from './run-slice.js';
import { createUiSlice, type UiSlice } from './ui-slice.js';

/** The editor's one store, built from its slices. */
export type EditorState = GraphSlice & RunSlice & UiSlice;

/** Creates a store; the app uses one, tests create their own. */
export function createEditorStore() {
  return createStore<EditorState>()((...args) => ({
    ...createGraphSlice(...args),
    ...createRunSlice(...args),
    ...createUiSlice(...args),
  }));
}

export const editorStore = createEditorStore();

/** Selects a narrow part of the store; objects are compared shallowly. */
export function useEditor<T>(selector: (state: EditorState) => T): T {
  return useStore(editorStore, useShallow(selector));
}
