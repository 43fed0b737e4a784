import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './app/theme.css';
import './app/shell.css';
import './app/pages.css';
import './components/components.css';
import './components/overlays.css';
import './components/provisioning.css';
import './components/provisioning-panels.css';
import { App } from './app/app.tsx';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
