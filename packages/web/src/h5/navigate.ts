import { lang } from './i18n';

/** Moves the one-page app to another screen (the App listens to popstate), keeping the language. */
export function navigate(to: string): void {
  history.pushState(null, '', lang === 'en-US' ? `${to}?lang=en-US` : to);
  window.dispatchEvent(new PopStateEvent('popstate'));
  window.scrollTo(0, 0);
}
