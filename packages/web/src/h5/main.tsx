import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { lang } from './i18n';
import './h5.css';

document.documentElement.lang = lang;
const root = document.getElementById('root');
if (!root) throw new Error('#root missing from m.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
