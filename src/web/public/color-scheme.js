// Applies the saved colour scheme before the first paint (same key as Mantine's manager).
// A file rather than an inline script: the server's CSP allows same-origin scripts only.
try {
  document.documentElement.setAttribute(
    'data-mantine-color-scheme',
    window.localStorage.getItem('mantine-color-scheme-value') === 'dark' ? 'dark' : 'light',
  );
} catch (_) {
  // Storage unavailable: Mantine falls back to light.
}
