import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';
import { App } from './App';
import { lang } from './i18n';
import '../h5/h5.css';

document.documentElement.lang = lang;
// The service worker keeps the app and its assets on the phone, so it opens with no network.
registerSW({ immediate: true });
const root = document.getElementById('root');
if (!root) throw new Error('#root missing from field.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
