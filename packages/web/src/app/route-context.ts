import { createContext, useContext } from 'react';
import type { AppRoute } from './access';

/**
 * The staff app's routes and their access flags, as routes.tsx declares them. routes.tsx imports
 * every page, so pages read the list from here (provided around the layout), never from routes.tsx:
 * no import circle. Outside the provider the list is empty: nothing can be opened.
 */
export const AppRoutesContext = createContext<readonly AppRoute[]>([]);

export function useAppRoutes(): readonly AppRoute[] {
  return useContext(AppRoutesContext);
}
